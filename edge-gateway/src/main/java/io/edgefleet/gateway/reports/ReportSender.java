package io.edgefleet.gateway.reports;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.TraceContext;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.link.LinkDownException;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.gateway.link.PublishRefusedException;
import io.edgefleet.gateway.link.UnsendableException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends one report as a CloudEvent over the edge link and waits for the broker's PUBACK. The event's subject and
 * tenant are this appliance's identity at send time (the bridge trusts only the topic, which the broker ties to the
 * certificate, and drops a report whose attributes disagree).
 */
public final class ReportSender implements AutoCloseable {

    public static final String SOURCE = "/edgefleet/edge-gateway";

    private final MqttLink link;
    private final Duration sendTimeout;

    public ReportSender(MqttLink link, Duration sendTimeout) {
        this.link = link;
        this.sendTimeout = sendTimeout;
    }

    /** Whether the link can take a report now. */
    public boolean ready() {
        return link.ready();
    }

    /** Why the link is down, if it is (null before its first attempt). */
    public String linkError() {
        return link.lastError();
    }

    /**
     * @throws ReportNotSentException the link is down or the broker did not answer in time: try again
     * @throws ReportRefusedException the broker refused it (an error reason code): it stays, tried again later
     * @throws UnsendableException    no broker can ever take it
     */
    public void send(String eventId, String type, String payloadJson, Instant time)
            throws ReportNotSentException, ReportRefusedException, UnsendableException {
        send(eventId, type, payloadJson, time, null);
    }

    /** @param trace the trace the report belongs to (CloudEvents extension {@code traceparent}); null: none */
    public void send(String eventId, String type, String payloadJson, Instant time, TraceContext trace)
            throws ReportNotSentException, ReportRefusedException, UnsendableException {
        DeviceIdentity identity = link.identity()
                .orElseThrow(() -> new ReportNotSentException("the appliance is not enrolled yet", null));
        CloudEvent event = new CloudEvent(
                        eventId,
                        SOURCE,
                        type,
                        identity.uid(),
                        identity.tenant(),
                        time,
                        payloadJson.getBytes(StandardCharsets.UTF_8))
                .withTrace(trace);
        try {
            link.publish(event, sendTimeout);
        } catch (LinkDownException e) {
            throw new ReportNotSentException(e.getMessage(), e);
        } catch (PublishRefusedException e) {
            throw new ReportRefusedException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the link belongs to the gateway
    }

    public static final class ReportNotSentException extends Exception {
        public ReportNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The broker answered, and said no: loud, because it will not change by itself (ACL, cut-off identity). */
    public static final class ReportRefusedException extends Exception {
        public ReportRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
