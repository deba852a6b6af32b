package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.events.payload.ScanRequested;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestPublisher;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Publishes clusters as cluster-service does (cluster-events are policy-service's only source about
 * clusters) and waits until policy-service's projection shows them.
 */
public final class Clusters implements AutoCloseable {

    private static final AtomicLong REVISION = new AtomicLong(1);
    private final TestPublisher producer = new TestPublisher();
    private final AgroalDataSource db;

    public Clusters(AgroalDataSource db) {
        this.db = db;
    }

    public static String newId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** Publishes the cluster with these nodes (node id → appliance uid, pool from the id's prefix) and waits for it. */
    public void publish(String tenant, String clusterId, ClusterStatus status, List<ClusterSnapshot.Node> nodes) {
        publish(
                tenant,
                clusterId,
                status == ClusterStatus.DELETED ? EventTypes.CLUSTER_DELETED : EventTypes.CLUSTER_STATUS_CHANGED,
                status,
                nodes,
                List.of());
    }

    /** {@code cluster.created} naming policies, as cluster-service publishes a cluster created with {@code policyIds}. */
    public void created(String tenant, String clusterId, List<String> policyIds) {
        publish(tenant, clusterId, EventTypes.CLUSTER_CREATED, ClusterStatus.PENDING, List.of(), policyIds);
    }

    private void publish(
            String tenant,
            String clusterId,
            String type,
            ClusterStatus status,
            List<ClusterSnapshot.Node> nodes,
            List<String> policyIds) {
        long revision = REVISION.incrementAndGet();
        ClusterSnapshot snapshot = new ClusterSnapshot(
                clusterId,
                "cluster-" + clusterId,
                Map.of(),
                status,
                null,
                CloudType.CONTAINERIZED,
                "p1",
                List.of(),
                nodes.stream()
                        .map(ClusterSnapshot.Node::applianceUid)
                        .distinct()
                        .toList(),
                List.of(),
                nodes,
                Instant.now(),
                Instant.now(),
                revision,
                policyIds);
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                type,
                clusterId,
                tenant,
                Instant.now(),
                EventJson.write(snapshot));
        producer.send(KafkaCloudEvents.toRecord(Topics.CLUSTER_EVENTS, clusterId, event));
        if (!Eventually.holds(
                Duration.ofSeconds(30), Duration.ofMillis(100), () -> revisionOf(clusterId) >= revision)) {
            fail("policy-service did not take cluster " + clusterId + " revision " + revision);
        }
    }

    /** cluster-service's answer to an OS patch request (key and subject = cluster id). */
    public void osPatchFinished(String tenant, OsPatchFinished answer) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                EventTypes.OS_PATCH_FINISHED,
                answer.clusterId(),
                tenant,
                Instant.now(),
                EventJson.write(answer));
        producer.send(KafkaCloudEvents.toRecord(Topics.CLUSTER_EVENTS, answer.clusterId(), event));
    }

    /** A rollout's scan request, as cluster-service sends it (key and subject = cluster id); a new event id each time. */
    public void scanRequested(String tenant, ScanRequested request) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                EventTypes.SCAN_REQUESTED,
                request.clusterId(),
                tenant,
                Instant.now(),
                EventJson.write(request));
        producer.send(KafkaCloudEvents.toRecord(Topics.CLUSTER_EVENTS, request.clusterId(), event));
    }

    public static ClusterSnapshot.Node node(String nodeId, String pool, String applianceUid) {
        return new ClusterSnapshot.Node(nodeId, pool, applianceUid, "RUNNING");
    }

    private long revisionOf(String clusterId) {
        try (var c = db.getConnection();
                var st = c.prepareStatement("select revision from policy.known_cluster where id = ?")) {
            st.setString(1, clusterId);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs SQL on policy-service's database (to move a schedule's due time, as if time had passed). */
    public int update(String sql, Object... params) {
        try (var c = db.getConnection();
                var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
