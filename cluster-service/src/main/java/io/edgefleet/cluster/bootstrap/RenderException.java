package io.edgefleet.cluster.bootstrap;

/** The profile, overrides or cloud config cannot make a node; {@code field} names what to fix. */
public class RenderException extends RuntimeException {

    private final String field;

    public RenderException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
