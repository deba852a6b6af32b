package io.edgefleet.bridge.health;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/** Ready when a Kafka broker answers (with the bridge's own credentials). */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {

    @Inject
    KafkaClients kafka;

    @Inject
    BridgeConfig config;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers =
                    admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("kafka")
                    .up()
                    .withData("brokers", brokers)
                    .build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka")
                    .down()
                    .withData("problem", String.valueOf(e.getMessage()))
                    .build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin("edge-bridge-health-" + config.mqtt().clientId());
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
