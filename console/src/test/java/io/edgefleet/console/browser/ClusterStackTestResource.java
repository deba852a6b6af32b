package io.edgefleet.console.browser;

import io.edgefleet.events.KafkaAccess;
import io.edgefleet.testsupport.BridgeProcess;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.KeycloakServer;
import io.edgefleet.testsupport.MosquittoBroker;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The console's cluster and policy pages need, for real: Keycloak with the realm {@code edgefleet}, and
 * appliance-service, profile-service, cluster-service and policy-service as processes (their packaged jars), each logged in to the test Kafka as its own
 * principal (the broker's ACLs as deployed) and on the test PostgreSQL (each in its own schema), checking the Keycloak
 * tokens the console forwards. cluster-service learns of appliances and profiles from the other two services' events,
 * as in production. No gateway runs: clusters stay in PROVISIONING (see README) — unless a test asks for the
 * {@link #edgeLink() edge link}, on which a real edge gateway ({@link EdgeGatewayProcess}) enrols and answers node
 * commands. The edge side's PKI and Mosquitto start with the stack (appliance-service's enrolment endpoint needs the
 * edge CA, its HTTPS certificate and the broker's address when it starts; both take well under a second); the edge
 * bridge process (~10 s) only when a test asks for it, so the tests that need no appliance do not pay for it.
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
    private EdgePki pki;
    private MosquittoBroker mqtt;
    private Path edgeHome;
    private int edgeHttpsPort;
    private BridgeProcess bridge;

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

        edgeHome = Path.of("target", "edge-link-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        pki = EdgePki.create(edgeHome.resolve("pki"));
        mqtt = MosquittoBroker.start(pki, edgeHome.resolve("mosquitto"));

        Map<String, String> appliance = settings("appliance-service", database);
        // enrolment as deployed: the edge CA signs the gateways' certificates, the HTTPS edge endpoint has a server
        // certificate of the platform CA, the enrolment answer names the broker's device port
        edgeHttpsPort = freePort();
        appliance.put("quarkus.http.ssl-port", Integer.toString(edgeHttpsPort));
        appliance.put(
                "appliance.enrolment.ca-cert-file", pki.edgeCa().certFile().toString());
        appliance.put("appliance.enrolment.ca-key-file", pki.edgeCa().keyFile().toString());
        appliance.put("appliance.enrolment.mqtt-url", mqtt.deviceUrl());
        appliance.put("%test.appliance.enrolment.mqtt-url", mqtt.deviceUrl());
        appliance.put(
                "quarkus.http.ssl.certificate.files", pki.server().certFile().toString());
        appliance.put(
                "quarkus.http.ssl.certificate.key-files", pki.server().keyFile().toString());
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The edge link as deployed, complete: the edge bridge process between Mosquitto and this stack's Kafka, keeping
     * the broker's deny list and CRL in step with appliance-service — started on first use. A gateway that enrols at
     * {@link #edgeUrl()} then gets cluster-service's node commands through it.
     */
    synchronized void edgeLink() {
        if (bridge == null) {
            bridge = BridgeProcess.forBroker(mqtt, KafkaTestResource.broker().clientProperties(KafkaAccess.EDGE_BRIDGE))
                    .logFile(edgeHome.resolve("bridge.log"))
                    .property("bridge.mosquitto.crl-refresh", "2s")
                    .accessSync(mqtt, URI.create(applianceService.url() + "/v1/certificate-authority/crl.pem"))
                    .start();
        }
    }

    /** appliance-service's HTTPS edge endpoint (enrolment), as a gateway's installer is given it ({@code -a}). */
    String edgeUrl() {
        return "https://localhost:" + edgeHttpsPort;
    }

    /** The platform CA the gateways trust (the edge endpoint's and the broker's server certificates). */
    Path platformCa() {
        return pki.platformCa().certFile();
    }

    @Override
    public void stop() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        if (mqtt != null) {
            mqtt.close();
            mqtt = null;
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
