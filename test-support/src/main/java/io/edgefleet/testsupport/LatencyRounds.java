package io.edgefleet.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * For benchmarks (never for timed tests): runs one call a number of rounds and gives the p50 and p99 of its wall
 * time. The call returns the answer's body, so the time is the request and the bytes received — parsing what came back
 * is left outside the measured time, where the caller does it once.
 */
public final class LatencyRounds {

    private LatencyRounds() {}

    /** The figures of one series of rounds; {@code lastBody} is the last answer, for the caller to read. */
    public record Result(double p50Millis, double p99Millis, byte[] lastBody) {}

    public static Result measure(int rounds, Supplier<byte[]> call) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1");
        }
        List<Long> micros = new ArrayList<>(rounds);
        byte[] body = new byte[0];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            body = call.get();
            micros.add((System.nanoTime() - start) / 1_000);
        }
        micros.sort(null);
        return new Result(
                micros.get(micros.size() / 2) / 1000.0,
                micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0,
                body);
    }
}
