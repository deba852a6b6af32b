package io.edgefleet.fleetsim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrolled identities on disk, so that a rerun of a benchmark skips enrolment: one line per appliance,
 * {@code uid TAB tenant TAB mqttUrl TAB base64(certificate DER) TAB base64(PKCS#8 key)}, appended as enrolments
 * succeed (a run cut short keeps what it got). The file holds private keys: it is created 0600.
 * <p>
 * A cached identity is only as good as the stack that issued it: after the stack's database or PKI is wiped, delete the
 * cache (the benchmark's work dir) too.
 */
public final class IdentityCache implements AutoCloseable {

    private final Path file;
    private BufferedWriter out;

    public IdentityCache(Path file) {
        this.file = file;
    }

    /** What the file holds, by uid (a later line for the same uid wins). */
    public synchronized Map<String, SimIdentity> load() {
        Map<String, SimIdentity> identities = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return identities;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f.length != 5) {
                continue; // a line cut off by a crash
            }
            identities.put(f[0], new SimIdentity(f[1], f[0], f[2], b64.decode(f[3]), b64.decode(f[4])));
        }
        return identities;
    }

    public synchronized void append(SimIdentity identity) {
        try {
            if (out == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                if (!Files.exists(file)) {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
            }
            Base64.Encoder b64 = Base64.getEncoder();
            out.write(identity.uid() + "\t" + identity.tenant() + "\t" + identity.mqttUrl() + "\t"
                    + b64.encodeToString(identity.certificateDer()) + "\t" + b64.encodeToString(identity.keyPkcs8())
                    + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out = null;
        }
    }
}
