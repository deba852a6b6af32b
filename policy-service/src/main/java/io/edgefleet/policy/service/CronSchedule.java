package io.edgefleet.policy.service;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.edgefleet.kit.rest.Validator;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A policy's schedule: a standard 5-field cron expression (minute hour day-of-month month day-of-week, as
 * in crontab) read in an IANA time zone, so "0 2 * * *" in Europe/Berlin stays at 02:00 local time across
 * daylight-saving changes.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime execution;
    private final ZoneId zone;

    private CronSchedule(Cron cron, ZoneId zone) {
        this.execution = ExecutionTime.forCron(cron);
        this.zone = zone;
    }

    /** Checks the expression and zone, adding clear errors to {@code v}; null when invalid. */
    public static CronSchedule validated(String expression, String timeZone, String field, Validator v) {
        ZoneId zone = null;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException | NullPointerException e) {
            v.require(
                    false,
                    field + ".timeZone",
                    "'" + (timeZone != null && timeZone.length() > 64 ? timeZone.substring(0, 64) + "…" : timeZone)
                            + "' is not an IANA time zone such as Europe/Berlin or UTC");
        }
        Cron cron = null;
        if (expression == null || expression.isBlank()) {
            v.require(
                    false,
                    field + ".cron",
                    "is required: 5 fields, minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\"");
        } else if (expression.length() > 120) {
            v.require(false, field + ".cron", "is longer than 120 characters");
        } else if (expression.trim().split("\\s+").length != 5) {
            v.require(
                    false,
                    field + ".cron",
                    "'" + expression + "' must have 5 fields: minute hour day-of-month month day-of-week");
        } else {
            try {
                cron = PARSER.parse(expression.trim());
                cron.validate();
            } catch (
                    RuntimeException
                            e) { // IllegalArgumentException mostly; whatever the parser throws is the input's fault
                v.require(
                        false,
                        field + ".cron",
                        "'" + expression + "' is not a valid cron expression: " + e.getMessage());
                cron = null;
            }
        }
        if (cron == null || zone == null) {
            return null;
        }
        CronSchedule schedule;
        Optional<Instant> next;
        try {
            schedule = new CronSchedule(cron, zone);
            next = schedule.next(Instant.now());
        } catch (RuntimeException e) { // an expression the parser took but cannot compute with
            v.require(false, field + ".cron", "'" + expression + "' is not a valid cron expression: " + e.getMessage());
            return null;
        }
        if (next.isEmpty()) {
            v.require(false, field + ".cron", "'" + expression + "' never fires");
            return null;
        }
        return schedule;
    }

    /** For an expression validated before. */
    public static CronSchedule of(String expression, String timeZone) {
        Validator v = new Validator();
        CronSchedule schedule = validated(expression, timeZone, "schedule", v);
        v.throwIfInvalid();
        return schedule;
    }

    /** The first time strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return execution.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }
}
