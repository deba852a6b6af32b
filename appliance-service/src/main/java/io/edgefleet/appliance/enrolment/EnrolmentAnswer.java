package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.events.EdgeTopics;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;

/**
 * What an enrolment or renewal answers: the certificate, the CA that signed it, when to renew, and where the
 * gateway's MQTT link is.
 *
 * @param renewAfter two thirds into the certificate's life: the gateway renews from then on
 */
public record EnrolmentAnswer(
        @Schema(required = true) String tenant,
        @Schema(required = true) String uid,

        @Schema(required = true, description = "the new certificate (PEM)")
        String certificate,

        @Schema(required = true, description = "the edge CA's certificate (PEM)")
        String caCertificate,

        @Schema(required = true, description = "lower-case hex")
        String serial,

        @Schema(required = true) Instant notBefore,
        @Schema(required = true) Instant notAfter,
        @Schema(required = true) Instant renewAfter,

        @Schema(required = true, description = "the MQTT edge broker (`ssl://host:port`)")
        String mqttUrl,

        @Schema(required = true) String commandsTopic,
        @Schema(required = true) String reportsTopic) {

    static EnrolmentAnswer of(String tenant, String uid, EdgeCa.Issued issued, String caPem, String mqttUrl) {
        Duration life = Duration.between(issued.notBefore(), issued.notAfter());
        return new EnrolmentAnswer(
                tenant,
                uid,
                issued.pem(),
                caPem,
                issued.serialHex(),
                issued.notBefore(),
                issued.notAfter(),
                issued.notBefore().plus(life.multipliedBy(2).dividedBy(3)),
                mqttUrl,
                EdgeTopics.commands(tenant, uid),
                EdgeTopics.reports(tenant, uid));
    }
}
