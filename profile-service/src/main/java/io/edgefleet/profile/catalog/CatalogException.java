package io.edgefleet.profile.catalog;

/** A registry that cannot be read or whose index is malformed; the message is recorded on the registry. */
public class CatalogException extends Exception {
    public CatalogException(String message) {
        super(message);
    }
}
