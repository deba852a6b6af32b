package io.edgefleet.fleetsim;

import io.edgefleet.gateway.identity.DeviceKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulator's own small parts; the simulator against the real stack is appliance-service's FleetSimEndToEndTest. */
class FleetSimPartsTest {

    @Test
    void histogramPercentiles() {
        Histogram h = new Histogram();
        assertEquals(-1, h.percentile(0.5));
        for (int i = 1; i <= 100; i++) {
            h.record(i);
        }
        h.record(1_000_000); // beyond the range: counted at the top
        assertEquals(101, h.count());
        assertEquals(51, h.percentile(0.5));
        assertEquals(100, h.percentile(0.99));
        assertEquals(Histogram.MAX_MS, h.percentile(1.0));
    }

    @Test
    void identityCacheKeepsKeysPrivateAndSurvivesACutLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ids").resolve("identities.tsv");
        KeyPair keys = DeviceKeys.generate();
        SimIdentity a = new SimIdentity(
                "tenant-a",
                "sim-000001",
                "ssl://localhost:18883",
                new byte[] {1, 2, 3},
                keys.getPrivate().getEncoded());
        try (IdentityCache cache = new IdentityCache(file)) {
            cache.append(a);
        }
        Files.writeString(file, "sim-000002\ttenant-a\tssl://x", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<String, SimIdentity> loaded = new IdentityCache(file).load();
        assertEquals(List.of("sim-000001"), List.copyOf(loaded.keySet()));
        assertArrayEquals(a.keyPkcs8(), loaded.get("sim-000001").keyPkcs8());
        assertEquals("tenant-a/sim-000001", loaded.get("sim-000001").identity());
    }

    @Test
    void durationsAndUids() {
        assertEquals(Duration.ofMillis(500), FleetSimMain.duration("500ms"));
        assertEquals(Duration.ofMinutes(10), FleetSimMain.duration("10m"));
        assertEquals(Duration.ofSeconds(90), FleetSimMain.duration("PT90S"));
        assertEquals(List.of("sim-000009", "sim-000010"), FleetSimMain.uids("sim", 9, 2));
    }
}
