package io.edgefleet.gateway.identity;

import io.edgefleet.testsupport.EdgePki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity on disk: key 0600 from the first byte, a new pair beside the old one and one atomic switch, so that
 * whatever a crash interrupts, {@code current} names a complete pair.
 */
class IdentityStoreTest {

    @TempDir
    Path dir;

    private IdentityStore.Issued issued(EdgePki pki, KeyPair keys) throws Exception {
        // the edge CA signs the appliance's own public key, as appliance-service does with the CSR's
        X509Certificate certificate = Sign.withEdgeCa(pki, "tenant-a", "gw-1", keys);
        return new IdentityStore.Issued(
                "tenant-a",
                "gw-1",
                certificate,
                pki.edgeCa().certificatePem(),
                "ssl://localhost:18883",
                Instant.now().plusSeconds(600));
    }

    @Test
    void aNewPairReplacesTheOldOneAtOnceAndTheKeyIsPrivate() throws Exception {
        EdgePki pki = EdgePki.create(dir.resolve("pki"));
        IdentityStore store = new IdentityStore(dir.resolve("identity"));
        assertTrue(store.current().isEmpty());

        KeyPair firstKeys = DeviceKeys.generate();
        DeviceIdentity first = store.install(firstKeys, issued(pki, firstKeys), "enrolment-1", "sha-of-token");
        assertEquals("tenant-a/gw-1", first.identity());
        assertEquals("enrolment-1", store.current().orElseThrow().enrolmentId());
        assertEquals("sha-of-token", store.tokenSha256());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("identity/client.key"))));
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("identity"))));
        assertTrue(Files.readString(dir.resolve("identity/client.key")).startsWith("-----BEGIN PRIVATE KEY-----"));

        KeyPair secondKeys = DeviceKeys.generate();
        DeviceIdentity second = store.install(secondKeys, issued(pki, secondKeys), "enrolment-1", store.tokenSha256());
        DeviceIdentity loaded = store.current().orElseThrow();
        assertEquals(second.certificate(), loaded.certificate());
        assertTrue(DeviceKeys.belongTogether(loaded.key(), loaded.certificate()));
        assertEquals("sha-of-token", store.tokenSha256(), "a renewal keeps the enrolment's token fingerprint");

        KeyPair thirdKeys = DeviceKeys.generate();
        store.install(thirdKeys, issued(pki, thirdKeys), "enrolment-2", "another");
        try (Stream<Path> pairs = Files.list(dir.resolve("identity/pairs"))) {
            assertEquals(2, pairs.count(), "the pair in use and the one before it");
        }
    }

    @Test
    void aCrashBeforeTheSwitchLeavesTheOldPairInUse() throws Exception {
        EdgePki pki = EdgePki.create(dir.resolve("pki"));
        IdentityStore store = new IdentityStore(dir.resolve("identity"));
        KeyPair keys = DeviceKeys.generate();
        DeviceIdentity first = store.install(keys, issued(pki, keys), "enrolment-1", null);
        // what a crash in the middle of writing the next pair leaves: a staging directory, a half-made link
        Path staging = Files.createDirectories(dir.resolve("identity/pairs/29991231T000000000Z-abcdef.tmp"));
        Files.writeString(staging.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\ntrunc");
        Files.createSymbolicLink(dir.resolve("identity/current.new"), Path.of("pairs/29991231T000000000Z-abcdef.tmp"));

        IdentityStore reopened = new IdentityStore(dir.resolve("identity"));
        assertEquals(
                first.certificate(), reopened.current().orElseThrow().certificate(), "the complete pair is in use");
        KeyPair next = DeviceKeys.generate();
        reopened.install(next, issued(pki, next), "enrolment-1", null);
        assertFalse(Files.exists(staging), "the leftover is cleared by the next switch");
        assertTrue(DeviceKeys.belongTogether(
                next.getPrivate(), reopened.current().orElseThrow().certificate()));
    }

    @Test
    void aKeyThatDoesNotBelongToItsCertificateIsNoIdentity() throws Exception {
        EdgePki pki = EdgePki.create(dir.resolve("pki"));
        IdentityStore store = new IdentityStore(dir.resolve("identity"));
        KeyPair keys = DeviceKeys.generate();
        store.install(keys, issued(pki, keys), "enrolment-1", null);
        Path key = dir.resolve("identity/client.key").toRealPath();
        Files.writeString(key, Pem.privateKey(DeviceKeys.generate().getPrivate()));
        assertTrue(store.current().isEmpty(), "a damaged pair counts as none: the gateway enrols again");
    }
}
