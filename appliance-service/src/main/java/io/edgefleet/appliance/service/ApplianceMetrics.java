package io.edgefleet.appliance.service;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.kit.metrics.CountsByStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Arrays;

/** {@code edgefleet_appliances{status}}: registered appliances of every tenant by status (UNREACHABLE is the alert). */
@ApplicationScoped
public class ApplianceMetrics {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    private CountsByStatus appliances;

    void register(@Observes StartupEvent started) {
        appliances = new CountsByStatus(
                metrics,
                "edgefleet.appliances",
                "Registered appliances by status",
                Arrays.stream(ApplianceStatus.values()).map(Enum::name).toList(),
                "select status, count(*) from appliance where registered group by status");
    }

    // Reads only: runs on every instance of the service (no JobLock), each serves its own /q/metrics.
    @Scheduled(identity = "appliance-metrics", every = "${appliance.metrics-interval:15s}", delayed = "1s")
    void sample() {
        if (appliances != null) {
            appliances.sample(dataSource);
        }
    }
}
