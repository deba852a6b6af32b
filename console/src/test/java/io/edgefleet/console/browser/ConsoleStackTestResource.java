package io.edgefleet.console.browser;

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
 * What the console needs, for real: a Keycloak with the realm {@code edgefleet} (the browser logs in there), and
 * appliance-service as a process (its packaged jar) on the test Kafka (as principal {@code appliance-service}) and a
 * test PostgreSQL, checking the Keycloak tokens the console forwards. cluster-service is not started: the console
 * shows that it did not answer, and the rest works.
 */
public class ConsoleStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ConsoleStackTestResource current;

    private final String clientSecret = secret();
    private KafkaTestResource kafka;
    private PostgresTestResource postgres;
    private KeycloakServer keycloak;
    private ServiceProcess applianceService;

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
        Map<String, String> service = new HashMap<>(kafka.start());
        postgres = new PostgresTestResource();
        service.putAll(postgres.start());
        // the service's %test profile points at Quarkus' OIDC test server: the real realm instead
        service.put("quarkus.oidc.auth-server-url", keycloak.issuer());
        service.put("%test.quarkus.oidc.auth-server-url", keycloak.issuer());
        applianceService = ServiceProcess.startJar(
                "appliance-service",
                Path.of("..", "appliance-service", "target", "quarkus-app", "quarkus-run.jar"),
                service,
                Duration.ofMinutes(4));
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
                // nothing listens there: the overview says cluster-service did not answer
                "console.cluster-service-url",
                "http://127.0.0.1:9");
    }

    @Override
    public void stop() {
        if (applianceService != null) {
            applianceService.stop();
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

    static ConsoleStackTestResource current() {
        if (current == null) {
            throw new IllegalStateException("the console's test stack is not running");
        }
        return current;
    }

    KeycloakServer keycloak() {
        return keycloak;
    }

    ServiceProcess applianceService() {
        return applianceService;
    }
}
