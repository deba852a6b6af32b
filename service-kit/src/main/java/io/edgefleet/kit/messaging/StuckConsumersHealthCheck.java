package io.edgefleet.kit.messaging;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.Set;

/**
 * Whether every consumer is moving: DOWN while one has been retrying an event for longer than
 * {@code events.stuck-after} (see {@link InboundEvents}). Wellness, not readiness: the service still answers requests.
 */
@Wellness
@ApplicationScoped
public class StuckConsumersHealthCheck implements HealthCheck {

    @Inject
    InboundEvents inbound;

    @Override
    public HealthCheckResponse call() {
        Set<String> stuck = inbound.stuckConsumers();
        var response = HealthCheckResponse.named("consumers").status(stuck.isEmpty());
        if (!stuck.isEmpty()) {
            response.withData("stuck", String.join(", ", stuck));
        }
        return response.build();
    }
}
