package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.events.EdgeTopics;

import java.time.Duration;
import java.time.Instant;

/**
 * What an enrolment or renewal answers: the certificate, the CA that signed it, when to renew, and where the
 * gateway's MQTT link is.
 *
 * @param renewAfter two thirds into the certificate's life: the gateway renews from then on
 */
public record EnrolmentAnswer(
        String tenant,
        String uid,
        String certificate,
        String caCertificate,
        String serial,
        Instant notBefore,
        Instant notAfter,
        Instant renewAfter,
        String mqttUrl,
        String commandsTopic,
        String reportsTopic) {

    static EnrolmentAnswer of(String tenant, String uid, EdgeCa.Issued issued, String caPem, String mqttUrl) {
        Duration life = Duration.between(issued.notBefore(), issued.notAfter());
        return new EnrolmentAnswer(tenant, uid, issued.pem(), caPem, issued.serialHex(), issued.notBefore(), issued.notAfter(),
                issued.notBefore().plus(life.multipliedBy(2).dividedBy(3)), mqttUrl,
                EdgeTopics.commands(tenant, uid), EdgeTopics.reports(tenant, uid));
    }
}
