package io.edgefleet.events;

/** A record that is not a valid EdgeFleet CloudEvent; consumers log and skip it (retrying cannot help). */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
