package io.edgefleet.testsupport;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something that happens in the background, on Awaitility, for tests that assert afterwards with their
 * own message (the cluster's tasks, the run's JSON, ...): on timeout these return rather than throw.
 */
public final class Eventually {

    private Eventually() {}

    /** Polls until {@code condition} holds or {@code timeout} passes; whether it held. */
    public static boolean holds(Duration timeout, Duration interval, BooleanSupplier condition) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(interval)
                    .pollInSameThread()
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Polls {@code value} until it is {@code done} or {@code timeout} passes; the last value read. */
    public static <T> T value(Duration timeout, Duration interval, Supplier<T> value, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        holds(timeout, interval, () -> {
            T now = value.get();
            last.set(now);
            return done.test(now);
        });
        return last.get();
    }

    /**
     * Asserts that {@code condition} holds all through {@code period}, polled every {@code interval}: for "nothing
     * happens meanwhile" (a refused command does not run, a status stays). Throws, naming {@code what}, if it fails.
     */
    public static void stays(String what, Duration period, Duration interval, BooleanSupplier condition) {
        // during() alone restarts its hold when the condition turns false and true again; failFast makes any
        // moment it does not hold a failure
        Awaitility.await(what)
                .failFast(what + ": did not hold", () -> !condition.getAsBoolean())
                .during(period)
                .atMost(period.multipliedBy(2).plusSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(interval)
                .pollInSameThread()
                .until(condition::getAsBoolean);
    }

    /**
     * Lets {@code period} pass with nothing to poll for: for a deliberate outage (a process killed and restarted
     * after a while), never to wait for something that can be observed.
     */
    public static void pause(Duration period) {
        Awaitility.await().pollDelay(period).atMost(period.plusSeconds(5)).until(() -> true);
    }
}
