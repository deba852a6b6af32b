package io.edgefleet.policy.service;

import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronScheduleTest {

    @Test
    void localTimeHoldsAcrossDaylightSaving() {
        CronSchedule nightly = CronSchedule.of("0 2 * * *", "Europe/Berlin");
        // winter: 02:00 CET is 01:00 UTC; summer: 02:00 CEST is 00:00 UTC
        assertEquals(
                Instant.parse("2026-01-16T01:00:00Z"),
                nightly.next(Instant.parse("2026-01-15T12:00:00Z")).orElseThrow());
        assertEquals(
                Instant.parse("2026-07-16T00:00:00Z"),
                nightly.next(Instant.parse("2026-07-15T12:00:00Z")).orElseThrow());
    }

    @Test
    void nextIsStrictlyAfter() {
        CronSchedule everyFiveMinutes = CronSchedule.of("*/5 * * * *", "UTC");
        assertEquals(
                Instant.parse("2026-11-30T10:05:00Z"),
                everyFiveMinutes.next(Instant.parse("2026-11-30T10:00:00Z")).orElseThrow());
        CronSchedule sundays = CronSchedule.of("30 3 * * SUN", "UTC");
        assertEquals(
                Instant.parse("2026-12-06T03:30:00Z"),
                sundays.next(Instant.parse("2026-11-30T10:00:00Z")).orElseThrow());
    }

    @Test
    void badExpressionsAreNamed() {
        for (String bad : new String[] {"61 * * * *", "* * *", "0 0 * * * *", "every day", "0 25 * * *", ""}) {
            Validator v = new Validator();
            assertNull(CronSchedule.validated(bad, "UTC", "schedule", v), bad);
            ProblemException e = assertThrows(ProblemException.class, v::throwIfInvalid, bad);
            assertEquals("schedule.cron", e.toProblem("/").errors().get(0).field(), bad);
        }
        Validator zone = new Validator();
        CronSchedule.validated("0 2 * * *", "Moon/Tranquility", "schedule", zone);
        assertTrue(zone.hasErrors());
        assertNotNull(CronSchedule.validated("0 2 * * 1-5", "America/New_York", "schedule", new Validator()));
    }
}
