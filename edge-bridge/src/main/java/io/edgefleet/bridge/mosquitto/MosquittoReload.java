package io.edgefleet.bridge.mosquitto;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Asks Mosquitto to re-read its ACL files and CRL: SIGHUP to the pid in its {@code pid_file}. Verified with 2.0.11:
 * the reloaded ACL applies at once to connected clients (their publishes are refused, nothing more is delivered to
 * them); the CRL applies to TLS handshakes from then on, not to open connections.
 */
final class MosquittoReload {

    private static final Logger LOG = Logger.getLogger(MosquittoReload.class);

    private final Path pidFile;

    MosquittoReload(Path pidFile) {
        this.pidFile = pidFile;
    }

    /** @return whether the signal was delivered */
    boolean reload() {
        String pid;
        try {
            pid = Files.readString(pidFile).strip();
            Long.parseLong(pid);
        } catch (IOException | NumberFormatException e) {
            LOG.warnf(
                    "cannot signal Mosquitto: no pid in %s (%s); it reads the files when it starts",
                    pidFile, e.getMessage());
            return false;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", pid)
                    .redirectErrorStream(true)
                    .start();
            boolean done = kill.waitFor(5, TimeUnit.SECONDS);
            String output = new String(kill.getInputStream().readAllBytes()).strip();
            if (!done || kill.exitValue() != 0) {
                LOG.warnf("kill -HUP %s (Mosquitto, from %s) failed: %s", pid, pidFile, output);
                return false;
            }
            LOG.debugf("Mosquitto (pid %s) reloads its ACL and CRL", pid);
            return true;
        } catch (IOException e) {
            LOG.warnf("cannot run kill -HUP %s: %s", pid, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
