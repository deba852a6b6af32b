package io.edgefleet.fleetsim;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.identity.DeviceKeys;
import io.edgefleet.gateway.link.MqttLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void commandTimesAreRecordedOncePerCommandOnlyWhenAsked() throws Exception {
        FleetSettings settings = new FleetSettings(
                null,
                "ssl://localhost:1",
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                1,
                List.of(),
                1);
        SimIdentity id = new SimIdentity("tenant-a", "sim-000001", "ssl://localhost:1", new byte[0], new byte[0]);
        try (Fleet fleet = new Fleet(settings, List.of())) {
            // no connection: its progress and result fail to publish, which does not matter here
            SimulatedAppliance appliance = new SimulatedAppliance(id, fleet, null, 0);
            fleet.recordCommandTimes(null);
            appliance.onCommand(command(id, "cmd-untimed"));
            CommandTimes times = new CommandTimes();
            fleet.recordCommandTimes(times);

            Instant before = Instant.now();
            appliance.onCommand(command(id, "cmd-1"));
            CountDownLatch resultOut = new CountDownLatch(1);
            fleet.schedule(resultOut::countDown, 200); // the one timer thread runs the 50 ms answer first
            assertTrue(resultOut.await(10, TimeUnit.SECONDS));

            CommandTimes.Held held = times.of("cmd-1");
            assertEquals("sim-000001", held.uid());
            assertEquals(EventTypes.CREATE_NODE, held.type());
            assertFalse(held.received().isBefore(before));
            assertTrue(held.duration().toMillis() >= 50, held.toString()); // the simulated run time is inside it
            assertNull(times.of("cmd-untimed"), "received before times were asked for");

            appliance.onCommand(command(id, "cmd-1")); // a repeat: answered from the recorded result
            assertEquals(1, times.size());
            assertEquals(held, times.of("cmd-1"));
            assertEquals(1, fleet.stats().commandsRepeated.sum());
        }
    }

    private static Mqtt5Publish command(SimIdentity id, String commandId) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/test",
                EventTypes.CREATE_NODE,
                id.uid(),
                id.tenant(),
                Instant.now(),
                EventJson.write(new NodeCommand(commandId, "cluster-1", "node-1", null)));
        // the same MQTT 5 binding as the bridge's commands (attributes as user properties)
        return MqttLink.reportMessage(EdgeTopics.commands(id.tenant(), id.uid()), event);
    }
}
