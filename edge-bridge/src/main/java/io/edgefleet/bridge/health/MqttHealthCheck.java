package io.edgefleet.bridge.health;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.reports.ReportRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when connected to the broker's platform listener with the report subscription in place. */
@Readiness
@ApplicationScoped
public class MqttHealthCheck implements HealthCheck {

    @Inject
    MqttConnection mqtt;

    @Inject
    ReportRelay reports;

    @Inject
    BridgeConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mqtt")
                .status(mqtt.ready())
                .withData("url", config.mqtt().url().toString())
                .withData("clientId", config.mqtt().clientId())
                .withData("reportsInFlight", reports.inFlight());
        if (mqtt.lastProblem() != null) {
            response.withData("problem", mqtt.lastProblem());
        }
        return response.build();
    }
}
