package io.edgefleet.fleetsim;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in whole milliseconds, 0 to 120 s (longer ones count as 120 s); lock-free, fixed size. */
public final class Histogram {

    static final int MAX_MS = 120_000;
    private final AtomicLongArray counts = new AtomicLongArray(MAX_MS + 1);

    public void record(long millis) {
        counts.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, millis)));
    }

    public long count() {
        long n = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The smallest value at or below which {@code fraction} of the records lie; -1 when empty. */
    public long percentile(double fraction) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return MAX_MS;
    }
}
