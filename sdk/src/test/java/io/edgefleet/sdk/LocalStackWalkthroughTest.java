package io.edgefleet.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.CloudType;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.CreateClusterRequest;
import io.edgefleet.sdk.model.CreateRegistrationToken;
import io.edgefleet.sdk.model.CreatedRegistrationToken;
import io.edgefleet.sdk.model.LayerRequest;
import io.edgefleet.sdk.model.NodeView;
import io.edgefleet.sdk.model.PlacementRequest;
import io.edgefleet.sdk.model.PoolRequest;
import io.edgefleet.sdk.model.ProfileRequest;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.RegisterAppliance;
import io.edgefleet.sdk.model.ScalePoolRequest;
import io.edgefleet.sdk.model.TaskView;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The management API through the SDK only, against the real services of the local stack (deploy/local), as an
 * operator's program would use it: register an appliance → registration token → its gateway enrols and pairs →
 * profile → cluster → progress to RUNNING → scale → delete. Run by deploy/local/sdk-walkthrough.sh (and so by
 * deploy/test.sh, in CI), which brings the stack up and sets {@code -Dedgefleet.walkthrough=true}; skipped in a
 * plain build, where no stack runs.
 */
class LocalStackWalkthroughTest {

    private static final String CLUSTER = "sdk-walkthrough";
    private static final Duration PROVISIONING = Duration.ofMinutes(5);

    @Test
    void operatorJourneyThroughTheSdk() throws Exception {
        assumeTrue(
                Boolean.getBoolean("edgefleet.walkthrough"), "needs the local stack: deploy/local/sdk-walkthrough.sh");
        String uid = System.getProperty("edgefleet.gateway-uid");
        Path run = Path.of(System.getProperty("edgefleet.run-dir"));
        KeycloakTokens tokens =
                new KeycloakTokens(System.getProperty("edgefleet.keycloak-url"), "admin-a", "admin-a-pass");
        EdgeFleet fleet = EdgeFleet.builder()
                .applianceService(System.getProperty("edgefleet.appliance-url"))
                .profileService(System.getProperty("edgefleet.profile-url"))
                .clusterService(System.getProperty("edgefleet.cluster-url"))
                .policyService(System.getProperty("edgefleet.policy-url"))
                .bearerToken(tokens::current)
                .build();

        step("register appliance " + uid);
        try {
            ApplianceView registered = fleet.appliances()
                    .registerAppliance(new RegisterAppliance().uid(uid).tags(Map.of("name", "SDK walkthrough")));
            say("registered, " + registered.getStatus());
        } catch (ApiException e) {
            assertEquals(409, e.getCode(), e.getResponseBody());
            say("already registered");
        }

        step("registration token, and the gateway up with it");
        if (Files.exists(run.resolve("gateway/edgefleet-gateway/state/identity/client.crt"))) {
            say("the gateway holds a certificate from an earlier run: no new token");
        } else {
            CreatedRegistrationToken token = fleet.registrationTokens()
                    .createRegistrationToken(new CreateRegistrationToken()
                            .uid(uid)
                            .description("SDK walkthrough")
                            .maxUses(1L));
            Path file = run.resolve("secrets/registration-token");
            Files.createDirectories(file.getParent());
            Files.writeString(file, token.getToken() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            say("token " + token.getId() + ", expires " + token.getExpiresAt());
        }
        Instant gatewayStart = Instant.now().minusSeconds(1);
        gateway("up");

        step("waiting for READY");
        ApplianceView ready = await().atMost(2, TimeUnit.MINUTES)
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> fleet.appliances().getAppliance(uid),
                        a -> a.getStatus() == ApplianceStatus.READY
                                && a.getLastSeenAt() != null
                                && a.getLastSeenAt().toInstant().isAfter(gatewayStart));
        say(uid + " READY, kind " + ready.getKind() + ", identity "
                + ready.getIdentity().getStatus());

        step("profile " + CLUSTER + " from the built-in packs");
        ProfileView profile = fleet.profiles().listProfiles(CLUSTER, 0, 50, ProfileType.FULL).getItems().stream()
                .filter(p -> p.getName().equals(CLUSTER))
                .findFirst()
                .orElse(null);
        if (profile == null) {
            profile = fleet.profiles()
                    .createProfile(new ProfileRequest()
                            .name(CLUSTER)
                            .type(ProfileType.FULL)
                            .environment(ProfileRequest.EnvironmentEnum.EDGE)
                            .cloudType(CloudType.CONTAINERIZED)
                            .layers(List.of(
                                    new LayerRequest().name("ubuntu").version("22.04.x"),
                                    new LayerRequest().name("kubernetes").version("1.29.x"),
                                    new LayerRequest().name("calico").version("3.27.x"),
                                    new LayerRequest()
                                            .name("local-path-provisioner")
                                            .version("0.0.x"))));
        }
        String profileId = profile.getId();
        say("profile " + profileId);

        step("cluster " + CLUSTER + ": 1 master + 1 worker on " + uid);
        deleteLeftover(fleet);
        CreateClusterRequest create = new CreateClusterRequest()
                .name(CLUSTER)
                .profileId(profileId)
                .pools(List.of(
                        new PoolRequest()
                                .name("masters")
                                .master(true)
                                .size(1)
                                .allowWorkerCapability(true)
                                .cpu(1)
                                .memoryGb(1)
                                .appliances(List.of(new PlacementRequest().uid(uid))),
                        new PoolRequest()
                                .name("workers")
                                .size(1)
                                .cpu(1)
                                .memoryGb(1)
                                .appliances(List.of(new PlacementRequest().uid(uid)))));
        // cluster-service learns of the profile and the appliance from their events: a moment after they exist. An
        // appliance serves one cluster: one that another cluster (demo.sh's) holds is a refusal that waiting won't
        // change
        ClusterView cluster = await().atMost(1, TimeUnit.MINUTES)
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptionsMatching(e -> e instanceof ApiException a
                        && a.getCode() == 400
                        && !a.getResponseBody().contains("is used by cluster"))
                .until(() -> fleet.clusters().createCluster(create), c -> true);
        say("created " + cluster.getId() + " (" + cluster.getStatus() + ")");

        step("progress until RUNNING (Server-Sent Events)");
        long seen = followUntil(fleet, cluster.getId(), 0, "RUNNING");
        List<NodeView> nodes = fleet.clusters().listClusterNodes(cluster.getId());
        nodes.forEach(n -> say(n.getNodeId() + " " + n.getRole() + " " + n.getState()));
        assertEquals(2, nodes.size());
        List<TaskView> tasks = fleet.clusters().listClusterTasks(cluster.getId(), null);
        assertTrue(tasks.stream().anyMatch(t -> t.getStatus() != null), "the cluster's tasks: " + tasks);
        say(tasks.size() + " tasks so far");

        step("scale workers to 2");
        ClusterView scaling =
                fleet.clusters().scaleClusterPool(cluster.getId(), "workers", new ScalePoolRequest().size(2));
        say("cluster " + scaling.getStatus());
        seen = followUntil(fleet, cluster.getId(), seen, "RUNNING");
        assertEquals(3, fleet.clusters().listClusterNodes(cluster.getId()).size());

        step("delete");
        fleet.clusters().deleteCluster(cluster.getId());
        followUntil(fleet, cluster.getId(), seen, "DELETED");
        try {
            ClusterView gone = fleet.clusters().getCluster(cluster.getId());
            assertEquals("DELETED", gone.getStatus().getValue());
        } catch (ApiException e) {
            assertEquals(404, e.getCode());
        }
        say("cluster " + cluster.getId() + " deleted");
    }

    /** Follows the cluster's events (after {@code after}) until its status is {@code status}; the last change seen. */
    private static long followUntil(EdgeFleet fleet, String clusterId, long after, String status) throws Exception {
        AtomicLong last = new AtomicLong(after);
        AtomicReference<String> reached = new AtomicReference<>();
        List<String> failures = new ArrayList<>();
        boolean stopped = fleet.clusterProgress().follow(clusterId, after, PROVISIONING, event -> {
            if (event.isTask()) {
                TaskView task = event.as(TaskView.class);
                last.set(Long.parseLong(event.id()));
                say("#" + task.getSeq() + " " + task.getKind() + " " + task.getStatus()
                        + (task.getMessage() == null ? "" : ": " + task.getMessage()));
                return true;
            }
            say("cluster " + event.status());
            if ("FAILED".equals(event.status())) {
                failures.add(event.data().toString());
                return false;
            }
            reached.set(event.status());
            return !status.equals(event.status());
        });
        assertTrue(failures.isEmpty(), "the cluster failed: " + failures);
        assertEquals(
                status,
                reached.get(),
                "the cluster did not reach " + status + " within " + PROVISIONING
                        + (stopped ? "" : " (the stream ended)"));
        return last.get();
    }

    /** An earlier run that stopped half-way leaves its cluster: delete it first, so that this run starts clean. */
    private static void deleteLeftover(EdgeFleet fleet) throws Exception {
        for (ClusterView c : fleet.clusters().listClusters(0, 200, null).getItems()) {
            if (c.getName().equals(CLUSTER)) {
                say("deleting the cluster of an earlier run, " + c.getId());
                fleet.clusters().deleteCluster(c.getId());
                followUntil(fleet, c.getId(), 0, "DELETED");
            }
        }
    }

    private static void gateway(String command) throws IOException, InterruptedException {
        Path script =
                Path.of("..", "deploy", "local", "gateway.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString(), command).inheritIO().start();
        assertEquals(0, p.waitFor(), "gateway.sh " + command);
    }

    private static void step(String text) {
        System.out.println("==> " + text);
    }

    private static void say(String text) {
        System.out.println("  " + text);
    }

    /** Tokens of the local stack's Keycloak (password grant, client edgefleet-cli), renewed before they expire. */
    static final class KeycloakTokens {
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private final String url;
        private final String form;
        private String token;
        private Instant renewAt = Instant.MIN;

        KeycloakTokens(String keycloak, String user, String password) {
            url = keycloak + "/realms/edgefleet/protocol/openid-connect/token";
            form = "grant_type=password&client_id=edgefleet-cli&username=" + enc(user) + "&password=" + enc(password);
        }

        synchronized String current() {
            if (Instant.now().isAfter(renewAt)) {
                try {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, answer.statusCode(), "token from " + url + ": " + answer.body());
                    JsonNode body = json.readTree(answer.body());
                    token = body.path("access_token").asText();
                    assertFalse(token.isEmpty(), "no access_token from " + url);
                    renewAt = Instant.now()
                            .plusSeconds(Math.max(10, body.path("expires_in").asLong(60) - 30));
                } catch (IOException e) {
                    throw new IllegalStateException("no token from " + url, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return token;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
