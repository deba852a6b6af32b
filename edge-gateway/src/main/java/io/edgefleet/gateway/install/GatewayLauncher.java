package io.edgefleet.gateway.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code edge-gateway run --config FILE} as a background process that outlives the installer. */
final class GatewayLauncher {

    /** The gateway's trust store holds only public certificates; the password merely satisfies PKCS12. */
    static final String TRUSTSTORE_PASSWORD = "edgefleet";

    private GatewayLauncher() {
    }

    static long start(Path config, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.edgefleet.gateway.EdgeGatewayMain");
        command.add("run");
        command.add("--config");
        command.add(config.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("gateway.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Files.writeString(config.resolveSibling("gateway.pid"), Long.toString(process.pid()));
        return process.pid();
    }
}
