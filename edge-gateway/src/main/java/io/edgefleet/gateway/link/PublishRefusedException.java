package io.edgefleet.gateway.link;

/**
 * The broker answered the publish with an error reason code (≥ 0x80), e.g. 0x87 "not authorized" for an identity
 * that was cut off. The message was not taken.
 */
public final class PublishRefusedException extends Exception {

    private final int reasonCode;

    public PublishRefusedException(int reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
