package io.edgefleet.cluster.rollout;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.edgefleet.kit.rest.Validator;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a rollout may touch a cluster: the window opens at each time of a standard 5-field cron expression (minute hour
 * day-of-month month day-of-week, as in crontab and as policy-service's schedules, same library and flavour) read in
 * an IANA time zone, and stays open for {@code duration} (elapsed time). "0 22 * * 6" in Europe/Berlin opens at 22:00
 * local time every Saturday, in winter and in summer.
 *
 * @param cron     5-field cron expression
 * @param zone     IANA time zone the expression is read in
 * @param duration how long the window stays open after each opening (1 minute to 7 days)
 */
public record MaintenanceWindow(String cron, String zone, Duration duration) {

    static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Parsed expressions: a rollout pass asks every target's window, each second in tests. */
    private static final Map<String, ExecutionTime> PARSED = new ConcurrentHashMap<>();

    /** Whether the window is open at {@code now}: the last opening at or before it is less than {@code duration} ago. */
    public boolean contains(Instant now) {
        ZonedDateTime local = ZonedDateTime.ofInstant(now, ZoneId.of(zone));
        ExecutionTime execution = PARSED.computeIfAbsent(cron, c -> ExecutionTime.forCron(PARSER.parse(c)));
        ZonedDateTime minute = local.truncatedTo(ChronoUnit.MINUTES);
        Optional<ZonedDateTime> opened =
                execution.isMatch(minute) ? Optional.of(minute) : execution.lastExecution(local);
        return opened.map(o -> now.isBefore(o.toInstant().plus(duration))).orElse(false);
    }

    /** The next opening after {@code after} (for people: when a waiting cluster will be touched). */
    public Optional<Instant> nextOpening(Instant after) {
        ExecutionTime execution = PARSED.computeIfAbsent(cron, c -> ExecutionTime.forCron(PARSER.parse(c)));
        return execution
                .nextExecution(ZonedDateTime.ofInstant(after, ZoneId.of(zone)))
                .map(ZonedDateTime::toInstant);
    }

    /**
     * Checks the parts, adding each problem to {@code v} under {@code field}.cron, .zone, .duration; null when any is
     * invalid. {@code duration} is ISO-8601 ({@code PT4H}).
     */
    public static MaintenanceWindow validated(String cron, String zone, String duration, String field, Validator v) {
        ZoneId zoneId = null;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException | NullPointerException e) {
            v.require(
                    false,
                    field + ".zone",
                    "'" + (zone != null && zone.length() > 64 ? zone.substring(0, 64) + "…" : zone)
                            + "' is not an IANA time zone such as Europe/Berlin or UTC");
        }
        String expression = null;
        if (cron == null || cron.isBlank()) {
            v.require(
                    false,
                    field + ".cron",
                    "is required: 5 fields, minute hour day-of-month month day-of-week, e.g. \"0 22 * * 6\"");
        } else if (cron.length() > 120) {
            v.require(false, field + ".cron", "is longer than 120 characters");
        } else if (cron.trim().split("\\s+").length != 5) {
            v.require(
                    false,
                    field + ".cron",
                    "'" + cron + "' must have 5 fields: minute hour day-of-month month day-of-week");
        } else {
            try {
                Cron parsed = PARSER.parse(cron.trim());
                parsed.validate();
                if (ExecutionTime.forCron(parsed)
                        .nextExecution(ZonedDateTime.now(zoneId == null ? ZoneId.of("UTC") : zoneId))
                        .isEmpty()) {
                    v.require(false, field + ".cron", "'" + cron + "' never fires");
                } else {
                    expression = cron.trim();
                }
            } catch (RuntimeException e) { // whatever the parser throws is the input's fault
                v.require(false, field + ".cron", "'" + cron + "' is not a valid cron expression: " + e.getMessage());
            }
        }
        Duration d = null;
        if (duration == null) {
            v.require(false, field + ".duration", "is required: how long the window stays open, e.g. PT4H");
        } else {
            try {
                d = Duration.parse(duration);
                v.require(
                        d.compareTo(Duration.ofMinutes(1)) >= 0 && d.compareTo(MAX_DURATION) <= 0,
                        field + ".duration",
                        "must be 1 minute to 7 days");
            } catch (DateTimeParseException e) {
                v.require(false, field + ".duration", "'" + duration + "' is not an ISO-8601 duration such as PT4H");
                d = null;
            }
        }
        if (zoneId == null || expression == null || d == null || v.hasErrors()) {
            return null;
        }
        return new MaintenanceWindow(expression, zoneId.getId(), d);
    }
}
