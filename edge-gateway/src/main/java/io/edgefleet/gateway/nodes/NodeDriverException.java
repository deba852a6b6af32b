package io.edgefleet.gateway.nodes;

/** A node operation failed; the message says why in terms an operator understands. */
public class NodeDriverException extends Exception {
    public NodeDriverException(String message) {
        super(message);
    }

    public NodeDriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
