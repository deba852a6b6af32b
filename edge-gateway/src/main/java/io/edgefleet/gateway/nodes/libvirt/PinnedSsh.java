package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeDriverException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The ssh command libvirt's {@code qemu+ssh} transport runs for the gateway ({@code command=} in the URI): ssh with only
 * the host keys pinned at install ({@code --ssh-known-hosts}) and strict checking, so an unknown or changed host key
 * ends the connection ("Host key verification failed") instead of being trusted. libvirt's ssh transport takes no
 * known_hosts option of its own (only its libssh transports do, and they lack {@code socket=} over {@code nc}).
 */
public final class PinnedSsh {

    /** ssh splits option values at whitespace and the script quotes with single quotes. */
    private static final Pattern PLAIN_PATH = Pattern.compile("/[^\\s'\"\\\\]*");

    private PinnedSsh() {}

    /**
     * Writes {@code libvirt-ssh} (0700) into the state directory, each start anew (so it always names the configured
     * file), and returns its path.
     */
    public static Path write(Path stateDir, Path knownHosts) throws NodeDriverException {
        String file = knownHosts.toAbsolutePath().toString();
        if (!PLAIN_PATH.matcher(file).matches()) {
            throw new NodeDriverException("ssh.known-hosts '" + file + "': the path must not hold whitespace, quotes or"
                    + " backslashes (ssh would split it)");
        }
        if (!Files.isReadable(knownHosts)) {
            throw new NodeDriverException("ssh.known-hosts '" + file + "' cannot be read: the libvirt host's key is"
                    + " pinned there (re-run the installer with --ssh-known-hosts)");
        }
        Path script = stateDir.resolve("libvirt-ssh");
        Path tmp = stateDir.resolve("libvirt-ssh.tmp");
        try {
            Files.createDirectories(stateDir);
            Files.writeString(tmp, script(file), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
            Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NodeDriverException("cannot write " + script + ": " + e.getMessage(), e);
        }
        return script;
    }

    static String script(String knownHosts) {
        return "#!/bin/sh\n"
                + "# written by the edge gateway at start: libvirt's qemu+ssh runs this instead of ssh, so that only\n"
                + "# the host keys pinned at install are accepted (an unknown or changed key is refused)\n"
                + "exec ssh -o 'UserKnownHostsFile=" + knownHosts + "' -o GlobalKnownHostsFile=/dev/null"
                + " -o StrictHostKeyChecking=yes -o UpdateHostKeys=no \"$@\"\n";
    }
}
