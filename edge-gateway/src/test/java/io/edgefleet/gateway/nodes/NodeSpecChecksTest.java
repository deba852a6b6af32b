package io.edgefleet.gateway.nodes;

import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeSpecChecksTest {

    private static NodeSpec spec(
            String cpuSet, List<String> keys, Map<String, String> env, List<NodeSpec.NodeFile> files) {
        return new NodeSpec(
                "c1",
                "workers",
                "n1",
                NodeRole.WORKER,
                "n1",
                new NodeSpec.Resources(1, 128, 1, cpuSet),
                "img",
                null,
                keys,
                env,
                files,
                Map.of());
    }

    private static NodeSpec withFile(String path, String owner, String mode) {
        return spec(null, List.of(), Map.of(), List.of(new NodeSpec.NodeFile(path, "x", owner, mode)));
    }

    private static void check(NodeSpec spec) {
        NodeSpecChecks.check(spec, NodeSpecChecks.NUMERIC_OWNER, "numeric uid:gid or root");
    }

    @Test
    void numericOwnersAndOctalModesPass() {
        for (String owner : new String[] {null, "root", "root:root", "0:0", "1000:1000"}) {
            for (String mode : new String[] {null, "644", "0644", "0600", "4755"}) {
                assertDoesNotThrow(() -> check(withFile("/etc/x", owner, mode)), owner + " " + mode);
            }
        }
    }

    @Test
    void ownersWithoutNumbersOrGroupAndOtherModesAreRejected() {
        for (String owner :
                new String[] {"bob", "bob:bob", "1000", "root:", ":0", "root;rm", "1000:1000 ", "1234567890:0"}) {
            assertThrows(IllegalArgumentException.class, () -> check(withFile("/etc/x", owner, null)), owner);
        }
        for (String mode : new String[] {"rwx", "00644", "64", "0800", "+x"}) {
            assertThrows(IllegalArgumentException.class, () -> check(withFile("/etc/x", null, mode)), mode);
        }
    }

    @Test
    void cpuSetsAreAscendingRangesOfAtMost64Parts() {
        assertEquals(6, NodeSpecChecks.cpuSet("0-3,6"));
        assertEquals(4095, NodeSpecChecks.cpuSet("4095"));
        assertDoesNotThrow(() -> check(spec("0-3,6", List.of(), Map.of(), List.of())));
        String parts64 = String.join(",", Collections.nCopies(64, "1"));
        assertDoesNotThrow(() -> NodeSpecChecks.cpuSet(parts64));
        for (String cpuSet : new String[] {"", "3-1", "4096", "0-3;reboot", "0,", parts64 + ",1"}) {
            assertThrows(
                    IllegalArgumentException.class, () -> check(spec(cpuSet, List.of(), Map.of(), List.of())), cpuSet);
        }
    }

    @Test
    void pathsAreAbsoluteNormalisedAndTakenOnce() {
        for (String path : new String[] {"relative", "/etc/../shadow", "/etc//x", "/etc/x/", "/etc/x\ty", "/etc/./x"}) {
            assertThrows(IllegalArgumentException.class, () -> check(withFile(path, null, null)), path);
        }
        NodeSpec.NodeFile x = new NodeSpec.NodeFile("/etc/x", "x", null, null);
        assertThrows(IllegalArgumentException.class, () -> check(spec(null, List.of(), Map.of(), List.of(x, x))));
        NodeSpec.NodeFile keys = new NodeSpec.NodeFile(NodeSpecChecks.AUTHORIZED_KEYS, "x", null, null);
        assertThrows(
                IllegalArgumentException.class,
                () -> check(spec(null, List.of("ssh-ed25519 AAAA"), Map.of(), List.of(keys))));
        assertDoesNotThrow(() -> check(spec(null, List.of(), Map.of(), List.of(keys))));
    }

    @Test
    void envValuesAndKeysAreOneLine() {
        assertThrows(
                IllegalArgumentException.class, () -> check(spec(null, List.of(), Map.of("A", "x\ny"), List.of())));
        assertThrows(IllegalArgumentException.class, () -> check(spec(null, List.of(), Map.of("A=B", "x"), List.of())));
        assertThrows(
                IllegalArgumentException.class,
                () -> check(spec(null, List.of("ssh-ed25519 AAAA\nssh-rsa BBBB"), Map.of(), List.of())));
        assertThrows(IllegalArgumentException.class, () -> check(spec(null, List.of(" "), Map.of(), List.of())));
        assertDoesNotThrow(
                () -> check(spec(null, List.of("ssh-ed25519 AAAA x@y"), Map.of("A", "a \"b\" <c>"), List.of())));
    }
}
