package io.edgefleet.gateway.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Real self-signed CA certificates for tests, made by the JDK's keytool. */
final class CaCertificates {

    private CaCertificates() {
    }

    static String selfSigned() throws IOException {
        Path dir = Files.createTempDirectory("ca");
        Path store = dir.resolve("ca.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=edgefleet-test-ca",
                "-ext", "bc:c", "-validity", "3650", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        return run(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", "changeit");
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
