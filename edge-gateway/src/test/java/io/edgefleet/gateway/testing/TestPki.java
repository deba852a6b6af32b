package io.edgefleet.gateway.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/** A real private CA for tests, made by the JDK's keytool: its certificate, and a server certificate it signed. */
public final class TestPki {

    private static final String PASSWORD = "changeit";
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static TestPki create() throws IOException {
        TestPki pki = new TestPki(Files.createTempDirectory("test-pki"));
        pki.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=edgefleet-test-ca",
                "-ext",
                "bc:c",
                "-validity",
                "3650",
                "-keystore",
                pki.file("ca.p12"),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        Files.writeString(
                pki.dir.resolve("ca.pem"),
                pki.keytool(
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        "ca",
                        "-keystore",
                        pki.file("ca.p12"),
                        "-storepass",
                        PASSWORD));
        return pki;
    }

    /** A self-signed CA certificate, PEM. */
    public static String selfSigned() throws IOException {
        return Files.readString(create().caPem());
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A TLS server context whose certificate (for localhost and 127.0.0.1) this CA signed. */
    public SSLContext serverContext() throws Exception {
        String store = file("server.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-keystore",
                store,
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                store,
                "-storepass",
                PASSWORD,
                "-file",
                file("server.csr"));
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                file("ca.p12"),
                "-storepass",
                PASSWORD,
                "-infile",
                file("server.csr"),
                "-outfile",
                file("server.pem"),
                "-ext",
                "san=dns:localhost,ip:127.0.0.1");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                file("ca.pem"),
                "-keystore",
                store,
                "-storepass",
                PASSWORD);
        keytool(
                "-importcert",
                "-alias",
                "server",
                "-file",
                file("server.pem"),
                "-keystore",
                store,
                "-storepass",
                PASSWORD);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(store))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private String keytool(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
