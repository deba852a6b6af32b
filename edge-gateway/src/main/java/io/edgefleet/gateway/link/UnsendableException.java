package io.edgefleet.gateway.link;

/** A message no broker can take (larger than its maximum packet size, say): sending it again cannot help. */
public final class UnsendableException extends Exception {
    public UnsendableException(String message, Throwable cause) {
        super(message, cause);
    }
}
