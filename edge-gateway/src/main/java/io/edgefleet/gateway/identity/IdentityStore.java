package io.edgefleet.gateway.identity;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The enrolled identity on disk, under {@code <state>/identity/}:
 * <pre>
 *   pairs/&lt;id&gt;/client.key      the private key, PKCS#8 PEM, 0600 (made here, never sent anywhere)
 *   pairs/&lt;id&gt;/client.crt      its certificate (tenant and uid are its CN); edge-ca.crt; identity.properties
 *                              (broker, renewal time, enrolment id, the token's SHA-256; tenant and uid for reading)
 *   current -&gt; pairs/&lt;id&gt;       the pair in use
 *   client.key, client.crt     -&gt; current/…, the names docs/edge-link.md gives
 * </pre>
 * A new pair (renewal, re-enrolment) is written completely beside the old one, flushed, and then {@code current} is
 * replaced in one rename: a crash at any point leaves {@code current} naming a complete, valid pair. The pair
 * before stays until the next switch, the older ones are removed.
 */
public final class IdentityStore {

    private static final Logger LOG = Logger.getLogger(IdentityStore.class);
    private static final DateTimeFormatter PAIR_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    public IdentityStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** What an enrolment or renewal answered, as far as the store keeps it. */
    public record Issued(
            String tenant,
            String uid,
            X509Certificate certificate,
            String caCertificatePem,
            String mqttUrl,
            Instant renewAfter) {}

    /** The pair in use, if any; a pair that does not load (damaged by hand) counts as none, loudly. */
    public synchronized Optional<DeviceIdentity> current() {
        Path pair = dir.resolve("current");
        if (!Files.exists(pair)) {
            return Optional.empty();
        }
        try {
            return Optional.of(load(pair.toRealPath()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.errorf("the identity in %s cannot be used (%s): the gateway enrols again", pair, e.getMessage());
            return Optional.empty();
        }
    }

    /** The SHA-256 of the registration token the current pair's enrolment used; null when unknown. */
    public synchronized String tokenSha256() {
        try {
            Path pair = dir.resolve("current");
            return Files.exists(pair) ? properties(pair.toRealPath()).getProperty("token.sha256") : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Writes a new pair beside the current one and switches to it atomically.
     *
     * @param enrolmentId a new one for a (re-)enrolment, the current one for a renewal
     * @param tokenSha256 the token the enrolment used (kept to notice a new token); for a renewal the current one's
     */
    public synchronized DeviceIdentity install(KeyPair keys, Issued issued, String enrolmentId, String tokenSha256)
            throws IOException {
        createPrivateDirectory(dir);
        Path pairs = createPrivateDirectory(dir.resolve("pairs"));
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        String id = PAIR_ID.format(Instant.now()) + "-" + HexFormat.of().formatHex(random);
        Path staging = pairs.resolve(id + ".tmp");
        createPrivateDirectory(staging);
        writeDurably(staging.resolve("client.key"), Pem.privateKey(keys.getPrivate()), "rw-------");
        writeDurably(staging.resolve("client.crt"), Pem.certificate(issued.certificate()), "rw-r--r--");
        if (issued.caCertificatePem() != null) {
            writeDurably(staging.resolve("edge-ca.crt"), issued.caCertificatePem(), "rw-r--r--");
        }
        Properties p = new Properties();
        p.setProperty("tenant", issued.tenant());
        p.setProperty("uid", issued.uid());
        p.setProperty("mqtt.url", issued.mqttUrl());
        p.setProperty("renew.after", issued.renewAfter().toString());
        p.setProperty("enrolment.id", enrolmentId);
        if (tokenSha256 != null) {
            p.setProperty("token.sha256", tokenSha256);
        }
        StringBuilder text = new StringBuilder();
        try (Writer out = new StringWriter()) {
            p.store(out, "EdgeFleet edge identity (written by the gateway)");
            text.append(out);
        }
        writeDurably(staging.resolve("identity.properties"), text.toString(), "rw-r--r--");
        sync(staging);
        Path pair = pairs.resolve(id);
        Files.move(staging, pair, StandardCopyOption.ATOMIC_MOVE);
        sync(pairs);

        Path link = dir.resolve("current.new");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir.relativize(pair));
        Files.move(
                link,
                dir.resolve("current"),
                StandardCopyOption.ATOMIC_MOVE); // rename(2) replaces the old link at once
        sync(dir);
        for (String name : List.of("client.key", "client.crt")) {
            Path stable = dir.resolve(name);
            if (!Files.isSymbolicLink(stable)) {
                Files.deleteIfExists(stable);
                Files.createSymbolicLink(stable, Path.of("current", name));
            }
        }
        removeOldPairs(pairs, pair);
        try {
            return load(pair);
        } catch (GeneralSecurityException e) {
            throw new IOException("the pair just written does not load: " + e.getMessage(), e);
        }
    }

    private DeviceIdentity load(Path pair) throws IOException, GeneralSecurityException {
        Properties p = properties(pair);
        PrivateKey key = Pem.readPrivateKey(Files.readString(pair.resolve("client.key")));
        X509Certificate certificate = Pem.readCertificate(Files.readString(pair.resolve("client.crt")));
        if (!DeviceKeys.belongTogether(key, certificate)) {
            throw new GeneralSecurityException("client.key does not belong to client.crt");
        }
        var subject =
                DeviceIdentity.subjectOf(certificate); // tenant and uid are the certificate's, whatever a file says
        if (subject == null) {
            throw new GeneralSecurityException("client.crt is not a device certificate (CN=<tenant>/<uid>)");
        }
        // stable paths (through current/): the pair they name may change under a reader, both together
        return new DeviceIdentity(
                subject.tenant(),
                subject.uid(),
                certificate,
                key,
                dir.resolve("client.crt"),
                dir.resolve("client.key"),
                p.getProperty("mqtt.url"),
                Instant.parse(p.getProperty("renew.after")),
                p.getProperty("enrolment.id"));
    }

    private static Properties properties(Path pair) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(pair.resolve("identity.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    /** Keeps the pair in use and the one before it (in case the new one is refused somewhere); drops the rest. */
    private static void removeOldPairs(Path pairs, Path current) {
        try (Stream<Path> all = Files.list(pairs)) {
            List<Path> others = all.filter(p -> !p.equals(current))
                    .sorted(Comparator.comparing(Path::toString).reversed())
                    .toList();
            boolean keptPrevious = false;
            for (Path pair : others) {
                if (!keptPrevious && !pair.getFileName().toString().endsWith(".tmp")) {
                    keptPrevious = true;
                    continue;
                }
                deleteTree(pair);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove old identity files in %s: %s", pairs, e.getMessage());
        }
    }

    private static void deleteTree(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path createPrivateDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    /** Written with its final mode from the first byte (no moment where a key is readable by others), then flushed. */
    private static void writeDurably(Path file, String text, String mode) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
    }

    private static void sync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
