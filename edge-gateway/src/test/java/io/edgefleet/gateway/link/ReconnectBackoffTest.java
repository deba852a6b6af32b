package io.edgefleet.gateway.link;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectBackoffTest {

    @Test
    void theCeilingDoublesFromOneSecondToThirty() {
        assertEquals(
                List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L),
                IntStream.range(0, 8)
                        .mapToObj(n -> ReconnectBackoff.ceiling(n).toSeconds())
                        .toList());
        assertEquals(Duration.ofSeconds(30), ReconnectBackoff.ceiling(Integer.MAX_VALUE));
        assertEquals(Duration.ofSeconds(1), ReconnectBackoff.ceiling(-1));
    }

    @Test
    void pausesAreSpreadOverTheWholeWindowNotBunchedAtTheCeiling() {
        // a fleet that lost the broker at once: its first retries must not arrive together
        long[] pauses = LongStream.range(0, 2_000)
                .map(i -> ReconnectBackoff.pauseMillis(0))
                .sorted()
                .toArray();
        assertTrue(pauses[0] >= 0 && pauses[pauses.length - 1] <= 1_000, "within [0, 1 s]");
        assertTrue(pauses[pauses.length / 10] < 200, "a tenth within the first 200 ms: " + pauses[pauses.length / 10]);
        assertTrue(pauses[pauses.length * 9 / 10] > 800, "a tenth after 800 ms");
        long late = LongStream.range(0, 2_000)
                .map(i -> ReconnectBackoff.pauseMillis(9))
                .max()
                .orElseThrow();
        assertTrue(late <= 30_000 && late > 25_000, "after many failures up to 30 s: " + late);
    }
}
