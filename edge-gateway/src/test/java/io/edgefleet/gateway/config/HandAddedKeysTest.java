package io.edgefleet.gateway.config;

import io.edgefleet.gateway.nodes.docker.NodeHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys an operator adds to gateway.properties by hand: read when present, refused when wrong, absent by default. */
class HandAddedKeysTest {

    @TempDir
    Path dir;

    @Test
    void theDomainTypeIsKvmOrQemuOrLeftToLibvirt() throws IOException {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "device.id=a\n");
        assertNull(GatewayConfig.libvirtDomainType(file), "absent: kvm when libvirt offers it");
        assertNull(GatewayConfig.zipkinEndpoint(file));
        Files.writeString(file, "libvirt.domain-type = qemu \ntracing.zipkin-endpoint=http://z:9411/api/v2/spans\n");
        assertEquals("qemu", GatewayConfig.libvirtDomainType(file));
        assertEquals("http://z:9411/api/v2/spans", GatewayConfig.zipkinEndpoint(file));
        assertNull(GatewayConfig.dockerReadyCheck(file), "absent: the node image's check");
        Files.writeString(file, "docker.ready-check=curl -sf http://127.0.0.1:10248/healthz\n");
        assertEquals("curl -sf http://127.0.0.1:10248/healthz", GatewayConfig.dockerReadyCheck(file));
        assertEquals(
                List.of("CMD-SHELL", "curl -sf http://127.0.0.1:10248/healthz"),
                NodeHealth.forSetting(GatewayConfig.dockerReadyCheck(file)).command());
        assertEquals(NodeHealth.NO_CHECK, NodeHealth.forSetting("none").command());
        assertEquals(NodeHealth.NODE_IMAGE_CHECK, NodeHealth.forSetting(null).command());
        Files.writeString(file, "libvirt.domain-type=xen\n");
        IOException wrong = assertThrows(IOException.class, () -> GatewayConfig.libvirtDomainType(file));
        assertTrue(wrong.getMessage().contains("libvirt.domain-type")
                && wrong.getMessage().endsWith("kvm or qemu"));
    }

    @Test
    void theConcurrentCommandsAreAWholeNumberFromOneTo64() throws IOException {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "device.id=a\n");
        assertEquals(4, GatewayConfig.maxConcurrentCommands(file), "absent: four nodes at once");
        Files.writeString(file, "commands.max-concurrent = 1\n");
        assertEquals(1, GatewayConfig.maxConcurrentCommands(file), "one at a time, as before lanes");
        for (String wrong : List.of("0", "65", "four", "-2")) {
            Files.writeString(file, "commands.max-concurrent=" + wrong + "\n");
            IOException refused = assertThrows(IOException.class, () -> GatewayConfig.maxConcurrentCommands(file));
            assertTrue(refused.getMessage().contains("commands.max-concurrent")
                    && refused.getMessage().endsWith("a whole number from 1 to 64"));
        }
    }

    @Test
    void theWillDelayIsWholeSecondsUpToAnHour() throws IOException {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "device.id=a\n");
        assertNull(GatewayConfig.willDelay(file), "absent: the link's default");
        Files.writeString(file, "link.will-delay-seconds = 120\n");
        assertEquals(Duration.ofMinutes(2), GatewayConfig.willDelay(file));
        Files.writeString(file, "link.will-delay-seconds=0\n");
        assertEquals(Duration.ZERO, GatewayConfig.willDelay(file), "0: the broker tells at once");
        Files.writeString(file, "link.will-delay-seconds=\n");
        assertNull(GatewayConfig.willDelay(file), "empty: absent, as every hand-added key");
        for (String wrong : List.of("-1", "3601", "30s")) {
            Files.writeString(file, "link.will-delay-seconds=" + wrong + "\n");
            IOException refused = assertThrows(IOException.class, () -> GatewayConfig.willDelay(file));
            assertTrue(refused.getMessage().contains("link.will-delay-seconds")
                    && refused.getMessage().endsWith("whole seconds from 0 to 3600"));
        }
    }
}
