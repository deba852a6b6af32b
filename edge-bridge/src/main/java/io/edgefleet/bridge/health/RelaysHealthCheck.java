package io.edgefleet.bridge.health;

import io.edgefleet.bridge.commands.CommandRelay;
import io.edgefleet.bridge.mosquitto.AccessSync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Live while the relay threads run (they survive outages; one that ended hit a bug and needs a restart). */
@Liveness
@ApplicationScoped
public class RelaysHealthCheck implements HealthCheck {

    @Inject
    CommandRelay commands;

    @Inject
    AccessSync accessSync;

    @Override
    public HealthCheckResponse call() {
        boolean up = commands.alive();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("relays").withData("commands", commands.alive());
        if (accessSync.enabled()) {
            up &= accessSync.alive();
            response.withData("accessSync", accessSync.alive())
                    .withData("deniedIdentities", accessSync.denied().size())
                    .withData("crl", accessSync.installedCrl());
            if (accessSync.crlProblem() != null) {
                response.withData("crlProblem", accessSync.crlProblem());
            }
        }
        return response.status(up).build();
    }
}
