package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeDriverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ssh command of the gateway's qemu+ssh, run for real against this machine's sshd: a host key that is not pinned
 * ends the connection before any login; the pinned one gets past the host key check (to the login, which a throwaway
 * client key does not pass).
 */
class PinnedSshTest {

    @TempDir
    Path dir;

    @Test
    void theScriptNamesThePinnedFileAndIsOnlyTheGatewaysToRun() throws Exception {
        Path known = Files.writeString(dir.resolve("known_hosts"), "");
        Path script = PinnedSsh.write(dir.resolve("state"), known);
        assertEquals(dir.resolve("state/libvirt-ssh"), script);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
        assertTrue(Files.readString(script).contains("-o 'UserKnownHostsFile=" + known + "'"));
        assertTrue(Files.readString(script).contains("-o StrictHostKeyChecking=yes"));
        NodeDriverException spaced =
                assertThrows(NodeDriverException.class, () -> PinnedSsh.write(dir, Path.of("/a b/known_hosts")));
        assertTrue(spaced.getMessage().contains("must not hold whitespace"), spaced.getMessage());
        assertThrows(NodeDriverException.class, () -> PinnedSsh.write(dir, dir.resolve("missing")));
    }

    @Test
    void anUnpinnedHostKeyIsRefusedThePinnedOneAccepted() throws Exception {
        assumeTrue(sshdListens(), "no sshd on 127.0.0.1:22 (deploy/local/demo-virtualized.sh starts one)");
        List<Path> hostKeys;
        try (var files = Files.list(Path.of("/etc/ssh"))) {
            hostKeys = files.filter(p -> p.getFileName().toString().matches("ssh_host_.*_key\\.pub"))
                    .toList();
        }
        assumeTrue(!hostKeys.isEmpty(), "no readable host keys in /etc/ssh");
        Path clientKey = dir.resolve("client");
        assertEquals(0, run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString())).code);

        Path empty = Files.writeString(dir.resolve("unpinned"), "");
        Result refused = run(sshVia(PinnedSsh.write(dir.resolve("a"), empty), clientKey));
        assertEquals(255, refused.code, refused.out);
        assertTrue(refused.out.contains("Host key verification failed"), refused.out);

        StringBuilder pinned = new StringBuilder();
        for (Path k : hostKeys) {
            String[] f = Files.readString(k).strip().split("\\s+");
            pinned.append("127.0.0.1 ").append(f[0]).append(' ').append(f[1]).append('\n');
        }
        Path known = Files.writeString(dir.resolve("pinned"), pinned);
        Result accepted = run(sshVia(PinnedSsh.write(dir.resolve("b"), known), clientKey));
        assertTrue(!accepted.out.contains("Host key verification failed"), accepted.out);
        assertTrue(accepted.out.contains("Permission denied"), "past the host key, at the login: " + accepted.out);
    }

    private static List<String> sshVia(Path script, Path clientKey) {
        return new ArrayList<>(List.of(
                script.toString(),
                "-T",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "ConnectTimeout=20",
                "-i",
                clientKey.toString(),
                "nobody@127.0.0.1",
                "true"));
    }

    private record Result(int code, String out) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ssh did not end: " + command);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean sshdListens() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 22), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
