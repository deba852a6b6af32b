package io.edgefleet.gateway.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The registration token as the operator left it in its file: read again at every attempt (it may be replaced), kept
 * in memory only as long as a request needs it, never logged. Its SHA-256 tells a new token from the one used.
 */
record RegistrationToken(String value, String sha256) {

    /** The token in {@code file}; null when the file is missing or empty. */
    static RegistrationToken read(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? null : new RegistrationToken(value, sha256(value));
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "registration token (sha256 " + sha256.substring(0, 12) + "…)";
    }
}
