package io.edgefleet.kit.outbox;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Reports whether events are leaving the outbox. It is a wellness check, not readiness: the
 * service keeps accepting requests while the broker is away (that is what the outbox is for).
 */
@Wellness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        String failure = relay.lastFailure();
        var response = HealthCheckResponse.named("outbox").status(failure == null);
        if (failure != null) {
            response.withData("lastFailure", failure);
        }
        return response.build();
    }
}
