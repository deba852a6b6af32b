package io.edgefleet.gateway.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Remembers which enrolment's MQTT session this installation started ({@code <state>/identity/session}): the first
 * connection after an enrolment starts clean — whatever the broker still holds for the identity was meant for an
 * earlier installation — and every later one resumes the session.
 */
final class SessionMarker {

    private final Path file;

    SessionMarker(Path stateDir) {
        this.file = stateDir.resolve("identity").resolve("session");
    }

    boolean started(String enrolmentId) {
        try {
            return Files.exists(file)
                    && Files.readString(file, StandardCharsets.UTF_8).strip().equals(enrolmentId);
        } catch (IOException e) {
            return false; // unreadable: a clean start loses nothing the services do not send again
        }
    }

    void markStarted(String enrolmentId) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("session.tmp");
            Files.writeString(tmp, enrolmentId + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the MQTT session in " + file, e);
        }
    }
}
