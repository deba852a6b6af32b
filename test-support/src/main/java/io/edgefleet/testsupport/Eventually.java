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
}
