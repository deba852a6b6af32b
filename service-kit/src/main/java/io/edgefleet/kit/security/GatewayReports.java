package io.edgefleet.kit.security;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * How every service takes a report from {@code gateway-reports}: only with the gateway credential of the
 * report's tenant (else it is logged and dropped), and once (inbox, in the transaction of its effect).
 */
@ApplicationScoped
public class GatewayReports {

    private static final Logger LOG = Logger.getLogger(GatewayReports.class);

    @Inject
    GatewayCredentials credentials;
    @Inject
    ProcessedEvents processed;

    /** @param retryFor how long a failing effect (database away, lock conflict) is retried before the report is given up */
    public Uni<Void> applyOnce(String consumer, ConsumerRecord<String, byte[]> record, CloudEvent event, Supplier<Uni<Void>> effect,
                               Duration retryFor) {
        String authorization = KafkaCloudEvents.get(record.headers(), KafkaCloudEvents.AUTHORIZATION);
        return credentials.rejectionReason(authorization, event.tenant()).chain(rejection -> {
            if (rejection != null) {
                LOG.warnf("rejected report %s from appliance '%s' (tenant %s): %s", event.id(), event.subject(), event.tenant(), rejection);
                return Uni.createFrom().voidItem();
            }
            return processed.applyOnce(consumer, event.id(), effect, retryFor,
                    () -> "report " + event.id() + " (" + event.type() + ") from appliance '" + event.subject() + "'");
        });
    }
}
