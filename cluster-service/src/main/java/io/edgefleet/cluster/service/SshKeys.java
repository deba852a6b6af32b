package io.edgefleet.cluster.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * OpenSSH public keys ({@code authorized_keys} lines): {@code <type> <base64 blob> [comment]}, where the
 * blob decodes and starts with its own type name (so a truncated or pasted-wrong key is caught here, not
 * on the node).
 */
public final class SshKeys {

    static final Set<String> TYPES = Set.of(
            "ssh-ed25519",
            "ssh-rsa",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    static final int MAX_LENGTH = 16 * 1024;

    private SshKeys() {}

    /** Null when {@code key} is a valid public key, else why not. */
    public static String problem(String key) {
        if (key == null || key.isBlank()) {
            return "is empty";
        }
        if (key.length() > MAX_LENGTH || key.chars().anyMatch(Character::isISOControl)) {
            return "must be one line of at most " + MAX_LENGTH + " characters";
        }
        String[] parts = key.trim().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            return "is not an OpenSSH public key ("
                    + String.join(", ", TYPES.stream().sorted().toList()) + ")";
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return "has a key body that is not base64";
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (blob.length < 4) {
            return "has a truncated key body";
        }
        int length = buffer.getInt();
        if (length != parts[0].length()
                || blob.length < 4 + length
                || !new String(blob, 4, length, StandardCharsets.US_ASCII).equals(parts[0])) {
            return "has a key body that does not match its type " + parts[0];
        }
        return null;
    }
}
