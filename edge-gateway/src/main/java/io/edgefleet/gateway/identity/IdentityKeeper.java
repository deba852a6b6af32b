package io.edgefleet.gateway.identity;

import io.edgefleet.gateway.proxy.ProxyRoutes;
import org.jboss.logging.Logger;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps the gateway's identity valid. With {@link IdentitySource.Enrol}: enrols on first start, renews at
 * {@code renewAfter} with the current certificate, re-enrols with the registration token after an expiry (a gateway
 * that was offline too long) or when the operator installed a new token (re-run of the installer). Each new key pair
 * is made here; only its CSR is sent. A refusal is logged once, in one line that says what the operator must do,
 * and tried again later (at once when the token file changes; a gateway looks at its token file every few seconds, so
 * an operator re-enrols a revoked appliance by writing a new token there). With {@link IdentitySource.Issued}: the given
 * certificate, as it is.
 * <p>
 * Every new identity goes to the listener (the MQTT link moves to it).
 */
public final class IdentityKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IdentityKeeper.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration TOKEN_POLL = Duration.ofSeconds(2);
    /**
     * How often a gateway with a valid certificate looks for a new token in its token file: an operator who revoked an
     * appliance's certificate re-enrols it by writing a token for its uid there (or re-running the installer).
     */
    private static final Duration TOKEN_WATCH = Duration.ofSeconds(5);

    private final String uid;
    private final IdentitySource source;
    private final IdentityStore store;
    private final EnrolmentClient client;
    private final Object lock = new Object();
    private volatile DeviceIdentity current;
    private volatile boolean running = true;
    private volatile Consumer<DeviceIdentity> listener = identity -> {};
    private Thread thread;

    // state of the attempts; used by one thread at a time (obtain() first, then the keeper's thread)
    private boolean tokenChecked;
    private String attemptedToken;
    private String lastProblem;
    private Instant nextAttempt = Instant.EPOCH;
    private Duration backoff = FIRST_RETRY;

    /**
     * @param trust    trusted CAs for the enrolment endpoint
     * @param proxies  the installer's proxy rules for the enrolment endpoint
     */
    public IdentityKeeper(
            String uid, IdentitySource source, Path stateDir, TrustManagerFactory trust, ProxyRoutes proxies) {
        this.uid = uid;
        this.source = source;
        if (source instanceof IdentitySource.Enrol enrol) {
            this.store = new IdentityStore(stateDir.resolve("identity"));
            this.client = new EnrolmentClient(enrol.endpoint(), trust, proxies.selector());
            this.current = store.current().filter(this::ownUid).orElse(null);
        } else {
            this.store = null;
            this.client = null;
            this.current = issued((IdentitySource.Issued) source);
            this.tokenChecked = true;
        }
    }

    private boolean ownUid(DeviceIdentity stored) {
        if (stored.uid().equals(uid)) {
            return true;
        }
        LOG.warnf(
                "the stored identity is %s, but this gateway is appliance '%s': it enrols as '%s'",
                stored.identity(), uid, uid);
        return false;
    }

    /** The identity in use (possibly expired: a gateway offline too long keeps it until it re-enrolled). */
    public Optional<DeviceIdentity> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Returns a valid identity, enrolling (and retrying) in the calling thread while there is none. (A new token next
     * to a valid identity is tried by {@link #start}, in the background.)
     */
    public DeviceIdentity obtain() throws InterruptedException {
        while (running) {
            DeviceIdentity identity = current;
            if (identity != null && (source instanceof IdentitySource.Issued || !identity.expired(Instant.now()))) {
                return identity;
            }
            step();
        }
        throw new InterruptedException("the gateway is stopping");
    }

    /** Keeps the identity valid in the background; {@code listener} gets the current one now (if any) and every new one. */
    public IdentityKeeper start(Consumer<DeviceIdentity> listener) {
        this.listener = listener;
        DeviceIdentity identity = current;
        if (identity != null && (source instanceof IdentitySource.Issued || !identity.expired(Instant.now()))) {
            listener.accept(identity);
        }
        if (source instanceof IdentitySource.Enrol) {
            thread = new Thread(this::run, "gateway-identity-" + uid);
            thread.setDaemon(true);
            thread.start();
        } else if (identity.expired(Instant.now())) {
            LOG.errorf(
                    "the given certificate of %s expired at %s: the broker will refuse it",
                    identity.identity(), identity.notAfter());
        }
        return this;
    }

    private void run() {
        while (running) {
            try {
                step();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "keeping the identity failed; trying again");
                pause(Instant.now().plus(backoff));
            }
        }
    }

    /** One decision: enrol, renew, or wait. */
    private void step() throws InterruptedException {
        Instant now = Instant.now();
        DeviceIdentity identity = current;
        boolean valid = identity != null && !identity.expired(now);
        IdentitySource.Enrol enrol = (IdentitySource.Enrol) source;
        if (!valid || !tokenChecked) {
            RegistrationToken token = RegistrationToken.read(enrol.tokenFile());
            boolean newToken = token != null && valid && !token.sha256().equals(store.tokenSha256());
            if (!valid || newToken) {
                if (token == null) {
                    problem(
                            "warn",
                            "no registration token in " + enrol.tokenFile()
                                    + ": the appliance cannot enrol until an operator "
                                    + "writes one there (or re-runs the installer with --registration-token)");
                    pause(now.plus(TOKEN_POLL));
                    return;
                }
                if (now.isBefore(nextAttempt) && token.sha256().equals(attemptedToken)) {
                    pause(min(nextAttempt, now.plus(TOKEN_POLL))); // a changed token is tried at once
                    return;
                }
                attemptedToken = token.sha256();
                if (newToken) {
                    LOG.infof(
                            "a new registration token is installed: re-enrolling appliance '%s' (the current certificate stays in use until then)",
                            uid);
                }
                enrolWith(enrol, token, identity);
                return;
            }
            tokenChecked = true;
        }
        tokenChecked = false; // looked at again after the wait below
        if (!now.isBefore(identity.renewAfter())) {
            if (now.isBefore(nextAttempt)) {
                pause(min(min(nextAttempt, identity.notAfter()), now.plus(TOKEN_WATCH)));
                return;
            }
            renew(enrol, identity);
            return;
        }
        pause(min(identity.renewAfter(), now.plus(TOKEN_WATCH)));
    }

    private void enrolWith(IdentitySource.Enrol enrol, RegistrationToken token, DeviceIdentity previous) {
        KeyPair keys = DeviceKeys.generate();
        try {
            IdentityStore.Issued issued = client.enrol(token.value(), uid, DeviceKeys.csrPem(keys, uid));
            checkOwnKey(issued, keys);
            DeviceIdentity identity =
                    store.install(keys, issued, UUID.randomUUID().toString(), token.sha256());
            LOG.infof(
                    "enrolled as %s at %s: certificate %s valid until %s, renewal after %s",
                    identity.identity(),
                    client.endpoint(),
                    identity.serial(),
                    identity.notAfter(),
                    identity.renewAfter());
            tokenChecked = true;
            switchTo(identity, previous);
        } catch (EnrolmentException e) {
            if (e.refused()) {
                tokenChecked = true; // a definitive no: the current certificate (if valid) goes on
                nextAttempt = Instant.now().plus(enrol.maxRetryDelay());
                problem(
                        "error",
                        "enrolment of appliance '" + uid + "' refused by " + client.endpoint() + " (" + e.status()
                                + (e.detail() == null ? "" : ": " + e.detail()) + "): "
                                + operatorAction(e.status(), enrol.tokenFile())
                                + (previous != null && !previous.expired(Instant.now())
                                        ? "; the current certificate stays in use until " + previous.notAfter()
                                        : ""));
            } else {
                retryLater(enrol, "enrolment at " + client.endpoint() + " failed, trying again: " + e.getMessage());
            }
        } catch (IOException | GeneralSecurityException e) {
            retryLater(enrol, "the enrolled identity could not be stored under " + store.dir() + ": " + e.getMessage());
        }
    }

    private void renew(IdentitySource.Enrol enrol, DeviceIdentity identity) {
        KeyPair keys = DeviceKeys.generate();
        try {
            IdentityStore.Issued issued = client.renew(identity, DeviceKeys.csrPem(keys, uid));
            checkOwnKey(issued, keys);
            DeviceIdentity renewed = store.install(keys, issued, identity.enrolmentId(), store.tokenSha256());
            LOG.infof(
                    "certificate renewed: %s valid until %s, next renewal after %s",
                    renewed.serial(), renewed.notAfter(), renewed.renewAfter());
            switchTo(renewed, identity);
        } catch (EnrolmentException e) {
            retryLater(
                    enrol,
                    "renewal of certificate " + identity.serial() + " at " + client.endpoint()
                            + (e.refused()
                                    ? " refused (" + e.status() + (e.detail() == null ? "" : ": " + e.detail()) + ")"
                                    : " failed: " + e.getMessage())
                            + "; it stays valid until " + identity.notAfter()
                            + ", after that the gateway enrols again with its registration token");
        } catch (IOException | GeneralSecurityException e) {
            retryLater(enrol, "the renewed identity could not be stored under " + store.dir() + ": " + e.getMessage());
        }
    }

    private void switchTo(DeviceIdentity identity, DeviceIdentity previous) {
        current = identity;
        nextAttempt = Instant.EPOCH;
        backoff = FIRST_RETRY;
        lastProblem = null;
        if (previous != null && !previous.tenant().equals(identity.tenant())) {
            LOG.warnf(
                    "the appliance now belongs to tenant %s (was %s): restart the gateway so that its nodes are labelled for it",
                    identity.tenant(), previous.tenant());
        }
        listener.accept(identity);
    }

    private static void checkOwnKey(IdentityStore.Issued issued, KeyPair keys) throws GeneralSecurityException {
        if (!DeviceKeys.matches(issued.certificate(), keys.getPublic())) {
            throw new GeneralSecurityException("the certificate in the answer is not for the key this gateway made");
        }
    }

    private void retryLater(IdentitySource.Enrol enrol, String message) {
        problem("warn", message);
        nextAttempt = Instant.now().plus(backoff);
        backoff = min(backoff.multipliedBy(2), enrol.maxRetryDelay());
    }

    private static String operatorAction(int status, Path tokenFile) {
        String install = "write it to " + tokenFile + " (or re-run the installer with --registration-token)";
        return switch (status) {
            case 401 ->
                "the registration token is unknown, expired, used up or revoked: issue a new one and " + install;
            case 403 -> "the registration token is for another appliance: issue one for this uid and " + install;
            case 409 ->
                "this uid was enrolled before, so it needs a registration token issued for this uid: issue one and "
                        + install;
            default -> "fix what the answer names, then " + install;
        };
    }

    /** Logs a failure once; the same failure again goes to debug (a retry loop must not flood the log). */
    private void problem(String level, String message) {
        if (message.equals(lastProblem)) {
            LOG.debug(message);
            return;
        }
        lastProblem = message;
        if ("error".equals(level)) {
            LOG.error(message);
        } else {
            LOG.warn(message);
        }
    }

    private void pause(Instant until) {
        synchronized (lock) {
            long millis = Duration.between(Instant.now(), until).toMillis();
            if (millis > 0 && running) {
                try {
                    lock.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static DeviceIdentity issued(IdentitySource.Issued issued) {
        try {
            var certificate = Pem.readCertificate(Files.readString(issued.certFile()));
            var key = Pem.readPrivateKey(Files.readString(issued.keyFile()));
            var subject = DeviceIdentity.subjectOf(certificate);
            if (subject == null) {
                throw new IllegalArgumentException(
                        issued.certFile() + " is not a device certificate (CN=<tenant>/<uid>)");
            }
            if (!DeviceKeys.belongTogether(key, certificate)) {
                throw new IllegalArgumentException(issued.keyFile() + " is not the key of " + issued.certFile());
            }
            return new DeviceIdentity(
                    subject.tenant(),
                    subject.uid(),
                    certificate,
                    key,
                    issued.certFile(),
                    issued.keyFile(),
                    issued.mqttUrl(),
                    DeviceIdentity.defaultRenewAfter(certificate),
                    "issued-" + certificate.getSerialNumber().toString(16));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot use the issued identity " + issued.certFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
