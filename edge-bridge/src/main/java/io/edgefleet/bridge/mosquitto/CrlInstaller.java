package io.edgefleet.bridge.mosquitto;

import io.edgefleet.bridge.mqtt.PemTls;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fetches the edge CA's CRL from appliance-service's public endpoint and installs it at Mosquitto's {@code crlfile}
 * only when it is signed by the edge CA, not expired, and newer than the installed one (see {@link Crl}).
 */
final class CrlInstaller {

    enum Outcome {
        INSTALLED,
        UNCHANGED,
        REJECTED,
        UNAVAILABLE
    }

    private static final Logger LOG = Logger.getLogger(CrlInstaller.class);
    private static final int MAX_BYTES = 16 << 20;
    private static final Duration EXPIRY_WARNING = Duration.ofDays(1);

    private final URI url;
    private final Path crlFile;
    private final List<X509Certificate> edgeCa;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private volatile Crl installed;
    private volatile String lastProblem;

    CrlInstaller(URI url, Path crlFile, Path edgeCaFile) {
        this.url = url;
        this.crlFile = crlFile;
        this.edgeCa = PemTls.certificates(edgeCaFile);
        this.installed = readInstalled();
    }

    /** Fetches the CRL and installs it when it passes the checks and is newer. */
    Outcome refresh() {
        byte[] body;
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return problem(Outcome.UNAVAILABLE, "GET " + url + ": HTTP " + response.statusCode());
            }
            body = response.body();
        } catch (IOException e) {
            return problem(Outcome.UNAVAILABLE, "GET " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.UNAVAILABLE;
        }
        if (body.length > MAX_BYTES) {
            return problem(Outcome.REJECTED, "the CRL from " + url + " is larger than " + MAX_BYTES + " bytes");
        }
        Crl fetched;
        try {
            fetched = Crl.parse(body);
            fetched.verifySignature(edgeCa);
            fetched.verifyCurrent(Instant.now());
        } catch (GeneralSecurityException e) {
            return problem(Outcome.REJECTED, "not installing the CRL from " + url + ": " + e.getMessage());
        }
        if (!fetched.newerThan(installed)) {
            lastProblem = null;
            warnIfExpiring();
            return Outcome.UNCHANGED;
        }
        try {
            AtomicFiles.write(crlFile, fetched.pem().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return problem(Outcome.UNAVAILABLE, "cannot write " + crlFile + ": " + e);
        }
        LOG.infof("installed %s at %s", fetched, crlFile);
        installed = fetched;
        lastProblem = null;
        return Outcome.INSTALLED;
    }

    Crl installed() {
        return installed;
    }

    /** Null while the last refresh worked; otherwise why it did not. */
    String lastProblem() {
        return lastProblem;
    }

    private Outcome problem(Outcome outcome, String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warnf("%s (the installed CRL stays; retrying)", problem);
        }
        lastProblem = problem;
        warnIfExpiring();
        return outcome;
    }

    /** Mosquitto refuses every device once the installed CRL expires. */
    private void warnIfExpiring() {
        if (installed != null
                && installed.nextUpdate() != null
                && installed.nextUpdate().isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            LOG.errorf(
                    "the installed CRL expires at %s and no newer one could be installed: devices will be refused from then on",
                    installed.nextUpdate());
        }
    }

    /** The CRL Mosquitto uses now, when it is one of the edge CA (otherwise anything valid replaces it). */
    private Crl readInstalled() {
        if (!Files.exists(crlFile)) {
            return null;
        }
        try {
            Crl crl = Crl.parse(Files.readAllBytes(crlFile));
            crl.verifySignature(edgeCa);
            return crl;
        } catch (IOException | GeneralSecurityException e) {
            LOG.warnf(
                    "the CRL at %s is not a valid one of the edge CA (%s): the next valid one replaces it",
                    crlFile, e.getMessage());
            return null;
        }
    }
}
