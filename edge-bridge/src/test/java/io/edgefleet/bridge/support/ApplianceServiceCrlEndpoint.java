package io.edgefleet.bridge.support;

import com.sun.net.httpserver.HttpServer;
import io.edgefleet.testsupport.EdgePki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for appliance-service's public CRL endpoint ({@code GET /v1/certificate-authority/crl.pem}, another
 * module): a JDK HttpServer serving the edge CA's CRL as appliance-service issues it (signed by the edge CA, a CRL
 * number that grows with every change, valid 7 days). A test revokes certificates here, or makes it serve a CRL
 * somebody else signed.
 */
public final class ApplianceServiceCrlEndpoint implements AutoCloseable {

    public static final String PATH = "/v1/certificate-authority/crl.pem";

    private final EdgePki pki;
    private final HttpServer server;
    private final List<BigInteger> revoked = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private long number;
    private volatile byte[] served;

    private ApplianceServiceCrlEndpoint(EdgePki pki) throws IOException {
        this.pki = pki;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PATH, exchange -> {
            requests.incrementAndGet();
            byte[] body = served;
            exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static ApplianceServiceCrlEndpoint start(EdgePki pki) {
        try {
            ApplianceServiceCrlEndpoint endpoint = new ApplianceServiceCrlEndpoint(pki);
            endpoint.publish();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Revokes a certificate: the next CRL (number + 1) lists it. */
    public synchronized void revoke(EdgePki.Issued certificate) {
        revoked.add(certificate.serial());
        publish();
    }

    /** Serves a CRL with the edge CA's name and the next number, but signed by another key. */
    public synchronized void serveForgedCrl() {
        try {
            served = sign(EdgePki.ecKeys().getPrivate(), number + 1000).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the genuine CRL again (with a new number). */
    public synchronized void publish() {
        served = sign(pki.edgeCa().key(), ++number).getBytes(StandardCharsets.US_ASCII);
    }

    public synchronized long number() {
        return number;
    }

    public int requests() {
        return requests.get();
    }

    private String sign(PrivateKey key, long crlNumber) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder crl = new X509v2CRLBuilder(
                    X500Name.getInstance(
                            pki.edgeCa().certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(5)));
            crl.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            crl.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            for (BigInteger serial : revoked) {
                crl.addCRLEntry(serial, Date.from(now.minusSeconds(5)), CRLReason.privilegeWithdrawn);
            }
            return EdgePki.pem(crl.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (Exception e) {
            throw new IllegalStateException("could not sign the CRL", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
