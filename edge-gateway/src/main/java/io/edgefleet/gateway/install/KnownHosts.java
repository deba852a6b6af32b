package io.edgefleet.gateway.install;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --ssh-known-hosts FILE}: the libvirt host's SSH host keys, pinned at install (OpenSSH's known_hosts format,
 * plain or hashed host names, as {@code ssh-keyscan -H} writes them). The installer refuses a file that does not parse
 * or holds no key for the host {@code -i} names; the gateway's {@code qemu+ssh} then accepts only these keys (an unknown
 * or changed host key is refused, never trusted on first use).
 */
public final class KnownHosts {

    private static final Pattern KEY_TYPE = Pattern.compile("(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+");

    private KnownHosts() {}

    /**
     * Checks the file and that it has a key for {@code host} (port 22).
     *
     * @throws IllegalArgumentException naming the flag, the line, and what to do
     */
    public static void check(Path file, String host) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--ssh-known-hosts " + file + " cannot be read: " + e.getMessage());
        }
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            boolean marker = f[0].startsWith("@");
            int at = marker ? 1 : 0;
            if (f.length < at + 3 || !KEY_TYPE.matcher(f[at + 1]).matches() || !base64(f[at + 2])) {
                throw new IllegalArgumentException("--ssh-known-hosts " + file + ", line " + (i + 1)
                        + ": not a known_hosts entry ('[marker] hosts key-type base64-key', as ssh-keyscan writes)");
            }
            // @revoked keys are refused by ssh anyway; @cert-authority ones sign host certificates: both count as
            // pinned
            if (!"@revoked".equals(marker ? f[0] : null) && matches(f[at], host)) {
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("--ssh-known-hosts " + file + " has no host key for " + host
                    + " (the libvirt host -i names): add it, e.g. ssh-keyscan -H " + host + " >>" + file
                    + ", after comparing its fingerprint with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on that"
                    + " host; an unknown host key is refused, never trusted");
        }
    }

    /** Whether a known_hosts host field (comma-separated patterns, or one hashed name) names {@code host}, port 22. */
    static boolean matches(String hosts, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        if (wanted.startsWith("[") && wanted.endsWith("]")) {
            wanted = wanted.substring(1, wanted.length() - 1);
        }
        if (hosts.startsWith("|1|")) {
            return hashed(hosts, wanted);
        }
        boolean any = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (p.startsWith("[") && p.endsWith("]:22")) {
                p = p.substring(1, p.length() - 4);
            }
            if (glob(p).matcher(wanted).matches()) {
                if (negated) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** {@code |1|salt|hash}: HMAC-SHA1 of the host name keyed with the salt (OpenSSH's HashKnownHosts). */
    private static boolean hashed(String field, String host) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, mac.doFinal(host.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean base64(String text) {
        try {
            return Base64.getDecoder().decode(text).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
