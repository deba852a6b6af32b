package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.rollout.MaintenanceWindow;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /v1/clusters/{id}/maintenance-window}: rollouts touch the cluster only while this window is open
 * (the same 5-field cron in a time zone as policy schedules). Every bad field is named in one answer.
 */
public record MaintenanceWindowRequest(
        @Schema(
                required = true,
                description = "5 fields, minute hour day-of-month month day-of-week: when the window opens",
                examples = "0 22 * * 6")
        String cron,

        @Schema(required = true, description = "IANA time zone the cron is read in", examples = "Europe/Berlin")
        String zone,

        @Schema(
                required = true,
                description = "how long the window stays open after each opening, ISO-8601, 1 minute to 7 days",
                examples = "PT4H")
        String duration) {

    MaintenanceWindow validated() {
        Validator v = new Validator();
        MaintenanceWindow w = MaintenanceWindow.validated(cron, zone, duration, "maintenanceWindow", v);
        v.throwIfInvalid();
        return w;
    }
}
