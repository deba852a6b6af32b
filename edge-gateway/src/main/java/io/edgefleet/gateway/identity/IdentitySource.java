package io.edgefleet.gateway.identity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Where the gateway's identity comes from. */
public sealed interface IdentitySource {

    /**
     * The product's way: enrol with a registration token at the management plane's edge endpoint, keep the key and
     * certificate under {@code <state>/identity/}, renew before expiry, re-enrol (with the token file as it is then)
     * after an expiry or when the operator installed a new token.
     *
     * @param endpoint      {@code https://host:port[/base]} of appliance-service's enrolment API
     * @param tokenFile     the registration token (0600), re-read at every attempt
     * @param maxRetryDelay longest wait between attempts after a failure or refusal (tests shorten it)
     */
    record Enrol(URI endpoint, Path tokenFile, Duration maxRetryDelay) implements IdentitySource {
        public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(5);

        public Enrol {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(tokenFile, "tokenFile");
            maxRetryDelay = maxRetryDelay == null ? DEFAULT_MAX_RETRY_DELAY : maxRetryDelay;
        }

        public Enrol(URI endpoint, Path tokenFile) {
            this(endpoint, tokenFile, null);
        }
    }

    /**
     * A certificate issued elsewhere (tests with {@code EdgePki}, or a deployment that provisions certificates
     * itself): used as it is, never renewed. Tenant and uid come from its {@code CN=<tenant>/<uid>}.
     *
     * @param mqttUrl the broker's device listener, e.g. {@code ssl://localhost:18883}
     */
    record Issued(Path certFile, Path keyFile, String mqttUrl) implements IdentitySource {
        public Issued {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(mqttUrl, "mqttUrl");
        }
    }

    static Enrol enrol(URI endpoint, Path tokenFile) {
        return new Enrol(endpoint, tokenFile);
    }

    static Issued issued(Path certFile, Path keyFile, String mqttUrl) {
        return new Issued(certFile, keyFile, mqttUrl);
    }
}
