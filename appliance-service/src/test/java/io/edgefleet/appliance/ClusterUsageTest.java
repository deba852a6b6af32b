package io.edgefleet.appliance;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestPublisher;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Appliances a cluster uses (as cluster-service announces on cluster-events) cannot be deleted until it is gone. */
@QuarkusTest
@TestInfrastructure
class ClusterUsageTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private void publish(String tenant, String type, ClusterSnapshot cluster) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                type,
                cluster.id(),
                tenant,
                Instant.now(),
                EventJson.write(cluster));
        try (var producer = new TestPublisher()) {
            producer.send(KafkaCloudEvents.toRecord(Topics.CLUSTER_EVENTS, cluster.id(), event));
        }
    }

    private static ClusterSnapshot cluster(String id, ClusterStatus status, List<String> uids) {
        return new ClusterSnapshot(
                id,
                id,
                Map.of(),
                status,
                null,
                CloudType.CONTAINERIZED,
                "p1",
                List.of(),
                uids,
                List.of(new ClusterSnapshot.Pool("master", true, 1)),
                List.of(),
                Instant.now(),
                Instant.now(),
                1);
    }

    private static void awaitUsedBy(String tenant, String uid, String cluster) {
        Eventually.holds(
                Duration.ofSeconds(20),
                Duration.ofMillis(200),
                () -> Objects.equals(
                        viewer(tenant)
                                .get("/v1/appliances/" + uid)
                                .then()
                                .extract()
                                .path("usedByCluster"),
                        cluster));
        viewer(tenant)
                .get("/v1/appliances/" + uid)
                .then()
                .body("usedByCluster", cluster == null ? nullValue() : equalTo(cluster));
    }

    @Test
    void anApplianceInUseCannotBeDeletedUntilItsClusterIsGone() {
        register(TENANT_A, "use-1", "{}");
        register(TENANT_A, "use-2", "{}");
        register(TENANT_B, "use-1", "{}"); // the same uid in another tenant is not touched
        publish(
                TENANT_A,
                EventTypes.CLUSTER_CREATED,
                cluster("c-use-7", ClusterStatus.PENDING, List.of("use-1", "use-2")));
        awaitUsedBy(TENANT_A, "use-1", "c-use-7");
        awaitUsedBy(TENANT_A, "use-2", "c-use-7");
        viewer(TENANT_B).get("/v1/appliances/use-1").then().body("usedByCluster", nullValue());

        admin(TENANT_A)
                .delete("/v1/appliances/use-1")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("usedByCluster"))
                .body("detail", containsString("c-use-7"));

        // the cluster shrinks to one appliance: the other is free again
        publish(TENANT_A, EventTypes.CLUSTER_UPDATED, cluster("c-use-7", ClusterStatus.RUNNING, List.of("use-1")));
        awaitUsedBy(TENANT_A, "use-2", null);
        admin(TENANT_A).delete("/v1/appliances/use-2").then().statusCode(204);

        // another cluster cannot take an appliance that is in use
        publish(TENANT_A, EventTypes.CLUSTER_CREATED, cluster("c-use-8", ClusterStatus.PENDING, List.of("use-1")));
        publish(TENANT_A, EventTypes.CLUSTER_DELETED, cluster("c-use-7", ClusterStatus.DELETED, List.of("use-1")));
        awaitUsedBy(TENANT_A, "use-1", null);
        admin(TENANT_A).delete("/v1/appliances/use-1").then().statusCode(204);

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var updates = reader.await(
                    r -> r.event().subject().equals("use-1")
                            && r.event().tenant().equals(TENANT_A)
                            && r.event().type().equals(EventTypes.APPLIANCE_UPDATED),
                    2,
                    Duration.ofSeconds(20));
            assertEquals(
                    "c-use-7",
                    updates.get(0).event().dataAs(ApplianceSnapshot.class).usedByCluster());
            assertEquals(
                    null, updates.get(1).event().dataAs(ApplianceSnapshot.class).usedByCluster());
        }
    }
}
