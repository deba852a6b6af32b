package io.edgefleet.fleetsim;

import io.edgefleet.gateway.identity.DeviceKeys;
import io.edgefleet.gateway.identity.EnrolmentClient;
import io.edgefleet.gateway.identity.EnrolmentException;
import io.edgefleet.gateway.identity.IdentityStore;
import org.jboss.logging.Logger;

import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enrols simulated appliances through the real enrolment API, as the gateway does (edge-gateway's
 * {@link EnrolmentClient} and {@link DeviceKeys}: an EC P-256 key made here, a CSR, {@code POST /v1/enrollments} over
 * HTTPS with a registration token), a bounded number at a time. Tokens are used round-robin: appliance-service counts a
 * token's uses under a row lock, so enrolments with one token run one after the other; several tokens run in parallel.
 * Each identity is added to the {@link IdentityCache} as soon as it is issued.
 */
public final class Enroller {

    private static final Logger LOG = Logger.getLogger(Enroller.class);
    private static final int ATTEMPTS = 5;

    private final EnrolmentClient client;
    private final List<String> tokens;
    private final int concurrency;
    private final IdentityCache cache;

    /** What an enrolment run did. */
    public record Outcome(int enrolled, int failed, long millis, Histogram latency) {
        public double perSecond() {
            return millis == 0 ? 0 : enrolled * 1000.0 / millis;
        }
    }

    public Enroller(
            URI endpoint, TrustManagerFactory trust, List<String> tokens, int concurrency, IdentityCache cache) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no registration token to enrol with");
        }
        this.client = new EnrolmentClient(endpoint, trust, HttpClient.Builder.NO_PROXY);
        this.tokens = List.copyOf(tokens);
        this.concurrency = Math.max(1, concurrency);
        this.cache = cache;
    }

    /** Enrols every uid of {@code uids} that {@code known} lacks, adding them to {@code known}. */
    public Outcome enrolMissing(List<String> uids, Map<String, SimIdentity> known) {
        List<String> missing = uids.stream().filter(u -> !known.containsKey(u)).toList();
        Histogram latency = new Histogram();
        if (missing.isEmpty()) {
            return new Outcome(0, 0, 0, latency);
        }
        long started = System.nanoTime();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<String, SimIdentity> issued = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "fleet-sim-enrol");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < missing.size(); i++) {
                String uid = missing.get(i);
                String token = tokens.get(i % tokens.size());
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    SimIdentity identity = enrol(uid, token);
                    if (identity == null) {
                        failed.incrementAndGet();
                    } else {
                        latency.record((System.nanoTime() - t0) / 1_000_000);
                        issued.put(uid, identity);
                        cache.append(identity);
                    }
                    int n = done.incrementAndGet();
                    if (n % 1000 == 0) {
                        LOG.infof("enrolled %d of %d", n, missing.size());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("enrolment interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        known.putAll(issued);
        return new Outcome(issued.size(), failed.get(), (System.nanoTime() - started) / 1_000_000, latency);
    }

    private SimIdentity enrol(String uid, String token) {
        KeyPair keys = DeviceKeys.generate();
        String csr = DeviceKeys.csrPem(keys, uid);
        for (int attempt = 1; ; attempt++) {
            try {
                IdentityStore.Issued answer = client.enrol(token, uid, csr);
                return new SimIdentity(
                        answer.tenant(),
                        uid,
                        answer.mqttUrl(),
                        answer.certificate().getEncoded(),
                        keys.getPrivate().getEncoded());
            } catch (EnrolmentException e) {
                boolean retryable = e.status() == 0 || e.status() >= 500 || e.status() == 429;
                if (!retryable || attempt >= ATTEMPTS) {
                    LOG.warnf("enrolment of %s failed: %s", uid, e.getMessage());
                    return null;
                }
                sleep(200L * attempt);
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
