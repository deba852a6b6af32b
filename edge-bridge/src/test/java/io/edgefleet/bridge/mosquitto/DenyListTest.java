package io.edgefleet.bridge.mosquitto;

import io.edgefleet.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenyListTest {

    @TempDir
    Path dir;

    @Test
    void writesTheDeploymentsLayoutAndReadsItBack() throws Exception {
        Path file = dir.resolve("device.acl");
        Files.writeString(file, MosquittoBroker.deviceAcl(List.of()));
        DenyList list = DenyList.load(file);
        assertTrue(list.denied().isEmpty());

        assertTrue(list.deny("t2/gw-b"));
        assertTrue(list.deny("t1/gw-a"));
        assertFalse(list.deny("t1/gw-a"));
        assertTrue(list.save());
        assertEquals(MosquittoBroker.deviceAcl(List.of("t1/gw-a", "t2/gw-b")), Files.readString(file));
        assertEquals(
                "rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "Mosquitto's user reads it");

        DenyList restarted = DenyList.load(file);
        assertEquals(Set.of("t1/gw-a", "t2/gw-b"), restarted.denied());
        assertFalse(restarted.unsaved());
        assertTrue(restarted.allow("t1/gw-a"));
        assertTrue(restarted.save());
        assertFalse(restarted.save(), "nothing to write");
        assertEquals(MosquittoBroker.deviceAcl(List.of("t2/gw-b")), Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aMissingFileIsAnEmptyList() throws Exception {
        DenyList list = DenyList.load(dir.resolve("absent.acl"));
        assertTrue(list.denied().isEmpty());
        list.deny("t/gw");
        list.save();
        assertEquals(MosquittoBroker.deviceAcl(List.of("t/gw")), Files.readString(dir.resolve("absent.acl")));
    }
}
