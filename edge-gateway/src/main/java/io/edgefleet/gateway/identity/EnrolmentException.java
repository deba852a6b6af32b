package io.edgefleet.gateway.identity;

/**
 * An enrolment or renewal that did not give a certificate.
 *
 * @see #refused()
 */
public final class EnrolmentException extends Exception {

    private final int status;
    private final String detail;

    /** @param status the HTTP status, or 0 when there was no answer */
    EnrolmentException(int status, String detail, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.detail = detail;
    }

    /** The server answered and said no (4xx): asking again with the same input will not help. */
    public boolean refused() {
        return status >= 400 && status < 500;
    }

    public int status() {
        return status;
    }

    /** The problem detail the server gave (RFC 9457 {@code detail}, else {@code title}), or null. */
    public String detail() {
        return detail;
    }
}
