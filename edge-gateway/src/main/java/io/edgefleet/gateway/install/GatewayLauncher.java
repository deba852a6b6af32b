package io.edgefleet.gateway.install;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starts {@code edge-gateway run --config FILE} as a background process that outlives the installer. */
final class GatewayLauncher {

    /** The gateway's trust store holds only public certificates; the password merely satisfies PKCS12. */
    static final String TRUSTSTORE_PASSWORD = "edgefleet";

    private GatewayLauncher() {}

    /** The gateway an earlier run started from this home, if it still runs. */
    static Optional<Long> running(Path home) {
        Path pidFile = home.resolve("gateway.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            // a pid may be reused: only the gateway of this home counts (its marker comes first: the JDK shows 4 KiB of
            // a command line)
            String marker = marker(home.resolve("gateway.properties"));
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops that gateway (SIGTERM: it finishes the node operation under way), so that two never share a state directory. */
    static Optional<Long> stopRunning(Path home) {
        Optional<Long> pid = running(home);
        pid.flatMap(ProcessHandle::of).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
        return pid;
    }

    private static String marker(Path config) {
        return "-Dedgefleet.gateway.config=" + config.toAbsolutePath();
    }

    /** @param classPath the gateway's jars: the installed {@code dist/} (or, run where it lies, this JVM's) */
    static long start(Path config, Path logDir, String classPath) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add(marker(config));
        command.add("-cp");
        command.add(classPath);
        command.add("io.edgefleet.gateway.EdgeGatewayMain");
        command.add("run");
        command.add("--config");
        command.add(config.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve("gateway.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Files.writeString(config.resolveSibling("gateway.pid"), Long.toString(process.pid()));
        return process.pid();
    }
}
