package io.edgefleet.gateway.install;

import io.edgefleet.gateway.config.GatewayConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edge-installer.bin} as an operator runs it: {@code src/installer/header.sh} followed by a tar.gz of the
 * gateway, run by {@code sh}. The payload's {@code edge-gateway.jar} is a manifest-only jar whose class path names
 * this build's classes and runtime libraries (target/runtime-classpath.txt), plus a large filler in {@code lib/}.
 * A refused run writes nothing into the target (the payload is unpacked into a temp directory, removed at the end);
 * an accepted one installs the gateway into {@code dist/}.
 */
class InstallerBinaryTest {

    static final String TOKEN = InstallCommandTest.TOKEN;

    @TempDir
    Path dir;

    Path installer;
    Path tmp;

    @BeforeEach
    void installer() throws Exception {
        Path payload = Files.createDirectories(dir.resolve("payload"));
        List<String> classPath = new ArrayList<>();
        classPath.add(Path.of("target", "classes").toAbsolutePath().toUri().toString());
        Arrays.stream(Files.readString(Path.of("target", "runtime-classpath.txt"))
                        .trim()
                        .split(":"))
                .filter(p -> !p.isBlank())
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString())
                .forEach(classPath::add);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.edgefleet.gateway.EdgeGatewayMain");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (OutputStream out = Files.newOutputStream(payload.resolve("edge-gateway.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            // the manifest is the jar
        }
        Path lib = Files.createDirectories(payload.resolve("lib"));
        byte[] filler = new byte[8 * 1024 * 1024];
        new java.util.Random(1).nextBytes(filler); // incompressible: the payload weighs what it says
        Files.write(lib.resolve("filler.jar"), filler);
        Path tarGz = dir.resolve("payload.tar.gz");
        run(List.of("tar", "-czf", tarGz.toString(), "-C", payload.toString(), "edge-gateway.jar", "lib"), null);
        installer = dir.resolve("edge-installer.bin");
        try (OutputStream out = Files.newOutputStream(installer)) {
            Files.copy(Path.of("src", "installer", "header.sh"), out);
            Files.copy(tarGz, out);
        }
        tmp = Files.createDirectories(dir.resolve("tmp"));
    }

    record Outcome(int code, String out) {}

    Outcome run(List<String> command, Path tmpDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (tmpDir != null) {
            pb.environment().put("TMPDIR", tmpDir.toString());
        }
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished: " + out);
        return new Outcome(process.exitValue(), out);
    }

    Outcome install(Path target, String... flags) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("sh", installer.toString(), "--target", target.toString(), "--"));
        command.addAll(Arrays.asList(flags));
        return run(command, tmp);
    }

    static List<String> entries(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    @Test
    void aRefusedRunLeavesNothingInTheTargetNorInTheTempDirectory() throws Exception {
        Path target = dir.resolve("target-refused");
        Outcome bad = install(
                target,
                "-i",
                "10.10.10.300",
                "-d",
                "hospital-1",
                "-a",
                "edge.example.com",
                "--registration-token",
                TOKEN,
                "--no-start");
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("error: -i/--ip '10.10.10.300' is not an IPv4 or IPv6 address"), bad.out());
        assertFalse(Files.exists(target), "nothing written into the target: " + entries(target));
        assertEquals(List.of(), entries(tmp), "the unpacked payload is removed");

        Path existing = Files.createDirectories(dir.resolve("target-existing"));
        Outcome badMode = install(
                existing,
                "-i",
                "10.10.10.10",
                "-d",
                "hospital-1",
                "-a",
                "edge.example.com",
                "--registration-token",
                TOKEN,
                "-m",
                "sometimes",
                "--no-start");
        assertEquals(2, badMode.code(), badMode.out());
        assertEquals(List.of(), entries(existing), "an existing target stays empty");
        assertEquals(List.of(), entries(tmp));
    }

    @Test
    void anAcceptedRunInstallsTheGatewayIntoDist() throws Exception {
        Path target = dir.resolve("target-ok");
        Outcome ok = install(
                target,
                "-i",
                "10.10.10.10",
                "-d",
                "hospital-1",
                "-a",
                "edge.example.com",
                "--registration-token",
                TOKEN,
                "--no-start");
        assertEquals(0, ok.code(), ok.out());
        Path home = target.resolve("edgefleet-gateway");
        assertTrue(Files.isRegularFile(home.resolve("dist/edge-gateway.jar")), ok.out());
        assertEquals(8 * 1024 * 1024, Files.size(home.resolve("dist/lib/filler.jar")));
        assertEquals(
                "hospital-1",
                GatewayConfig.load(home.resolve("gateway.properties")).deviceId());
        assertEquals(List.of(), entries(tmp), "the unpacked payload is removed");

        // a second run replaces dist as a whole
        Files.writeString(home.resolve("dist/lib/stale.jar"), "from an earlier version");
        assertEquals(
                0,
                install(
                                target,
                                "-i",
                                "10.10.10.11",
                                "-d",
                                "hospital-1",
                                "-a",
                                "edge.example.com",
                                "--registration-token",
                                TOKEN,
                                "--no-start")
                        .code());
        assertFalse(Files.exists(home.resolve("dist/lib/stale.jar")));
        assertEquals(
                List.of("edge-gateway.jar", "lib"),
                entries(home.resolve("dist")).stream().sorted().toList());
    }
}
