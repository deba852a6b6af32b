package io.edgefleet.console.browser;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.KeycloakServer;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The console's cluster and policy pages need, for real: Keycloak with the realm {@code edgefleet}, and
 * appliance-service, profile-service, cluster-service and policy-service as processes (their packaged jars), each logged in to the test Kafka as its own
 * principal (the broker's ACLs as deployed) and on the test PostgreSQL (each in its own schema), checking the Keycloak
 * tokens the console forwards. cluster-service learns of appliances and profiles from the other two services' events,
 * as in production. No gateway runs: clusters stay in PROVISIONING (see README) — unless a test asks for the
 * {@link #edgeLink() edge link} (Mosquitto and the edge bridge process), on which a simulated appliance answers node
 * commands; it is started then, once, so the tests that need no appliance do not pay for it.
 */
public class ClusterStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ClusterStackTestResource current;

    private final String clientSecret = secret();
    private KafkaTestResource kafka;
    private PostgresTestResource postgres;
    private KeycloakServer keycloak;
    private ServiceProcess applianceService;
    private ServiceProcess profileService;
    private ServiceProcess clusterService;
    private ServiceProcess policyService;
    private EdgeLinkTestResource edgeLink;

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start(
                Path.of("target", "keycloak"),
                Path.of("..", "deploy", "local", "keycloak"),
                Map.of("edgefleet-console", clientSecret),
                Duration.ofMinutes(5));
        kafka = new KafkaTestResource();
        kafka.init(Map.of("principal", "appliance-service"));
        kafka.start();
        postgres = new PostgresTestResource();
        Map<String, String> database = postgres.start();

        Map<String, String> appliance = settings("appliance-service", database);
        // one report pairs a test's appliance; it must stay READY for the whole class (the test profile's 4 s would
        // make it UNREACHABLE at once: no gateway heartbeats here)
        appliance.put("%test.appliance.heartbeat.timeout", "30m");
        applianceService = ServiceProcess.startJar("appliance-service", jar("appliance-service"), appliance, START);
        profileService = ServiceProcess.startJar(
                "profile-service", jar("profile-service"), settings("profile-service", database), START);
        Map<String, String> cluster = settings("cluster-service", database);
        // no gateway answers most tests' clusters: the test profile's 15 s would fail them (FAILED, "expired
        // undelivered") while a slow test still expects them PROVISIONING; an answered command is not affected
        cluster.put("%test.cluster.command-timeout", "30m");
        clusterService = ServiceProcess.startJar("cluster-service", jar("cluster-service"), cluster, START);
        // policies: it learns of the clusters from cluster-service's events (its test profile's secret key)
        policyService = ServiceProcess.startJar(
                "policy-service", jar("policy-service"), settings("policy-service", database), START);
        current = this;
        return Map.of(
                "quarkus.oidc.auth-server-url",
                keycloak.issuer(),
                "quarkus.oidc.client-id",
                "edgefleet-console",
                "quarkus.oidc.credentials.secret",
                clientSecret,
                "console.appliance-service-url",
                applianceService.url(),
                "console.profile-service-url",
                profileService.url(),
                "console.cluster-service-url",
                clusterService.url(),
                "console.policy-service-url",
                policyService.url());
    }

    private static final Duration START = Duration.ofMinutes(4);

    private static Path jar(String service) {
        return Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar");
    }

    /** A service's settings: Kafka as its own principal, the database, the real realm's tokens. */
    private Map<String, String> settings(String principal, Map<String, String> database) {
        Map<String, String> settings = new HashMap<>(database);
        KafkaTestResource.broker()
                .clientProperties(principal)
                .forEach((key, value) -> settings.put("kafka." + key, String.valueOf(value)));
        // the services' %test profile points at Quarkus' OIDC test server: the real realm instead
        settings.put("quarkus.oidc.auth-server-url", keycloak.issuer());
        settings.put("%test.quarkus.oidc.auth-server-url", keycloak.issuer());
        return settings;
    }

    /**
     * The edge side as deployed (test PKI, Mosquitto, the edge bridge process between it and this stack's Kafka),
     * started on first use: a simulated appliance with a device certificate of {@link EdgeLinkTestResource#pki()}
     * connects to {@link EdgeLinkTestResource#broker()} and gets cluster-service's node commands through it.
     */
    synchronized void edgeLink() {
        if (edgeLink == null) {
            EdgeLinkTestResource link = new EdgeLinkTestResource();
            link.init(Map.of());
            link.start();
            edgeLink = link;
        }
    }

    @Override
    public void stop() {
        if (edgeLink != null) {
            edgeLink.stop();
            edgeLink = null;
        }
        for (ServiceProcess service :
                new ServiceProcess[] {policyService, clusterService, profileService, applianceService}) {
            if (service != null) {
                service.stop();
            }
        }
        if (keycloak != null) {
            keycloak.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        current = null;
    }

    static ClusterStackTestResource current() {
        if (current == null) {
            throw new IllegalStateException("the console's cluster test stack is not running");
        }
        return current;
    }

    KeycloakServer keycloak() {
        return keycloak;
    }

    /** The SDK as {@code user}, on the four services of this stack. */
    io.edgefleet.sdk.EdgeFleet api(RealmUsers user) {
        return user.api(
                keycloak, applianceService.url(), profileService.url(), clusterService.url(), policyService.url());
    }
}
