package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestPublisher;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishes what appliance-service and profile-service would (their events are cluster-service's only
 * source about appliances and profiles), and waits until cluster-service's projections show them.
 */
public final class Bus implements AutoCloseable {

    private final TestPublisher producer = new TestPublisher();
    private final AgroalDataSource db;

    public Bus(AgroalDataSource db) {
        this.db = db;
    }

    public void send(String topic, String key, String type, String tenant, Object payload) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/test",
                type,
                key,
                tenant,
                Instant.now(),
                EventJson.write(payload));
        send(KafkaCloudEvents.toRecord(topic, key, event));
    }

    public void send(ProducerRecord<String, byte[]> record) {
        producer.send(record);
    }

    /** The appliance as appliance-service publishes it, then waits for cluster-service's projection. */
    public void appliance(String tenant, ApplianceSnapshot a) {
        send(Topics.APPLIANCE_EVENTS, a.uid(), EventTypes.APPLIANCE_PAIRED, tenant, a);
        await(
                "select count(*) from cluster.known_appliance where tenant = ? and uid = ? and status = ? and version = ?",
                tenant,
                a.uid(),
                a.status().name(),
                a.version());
    }

    public void profile(String tenant, ProfileSnapshot p) {
        send(Topics.PROFILE_EVENTS, p.id(), EventTypes.PROFILE_CREATED, tenant, p);
        await(
                "select count(*) from cluster.known_profile where tenant = ? and profile_id = ? and revision = ?",
                tenant,
                p.id(),
                p.revision());
    }

    /** What profile-service publishes on {@code PUT /v1/profiles/{id}}. */
    public void updated(String tenant, ProfileSnapshot p) {
        send(Topics.PROFILE_EVENTS, p.id(), EventTypes.PROFILE_UPDATED, tenant, p);
    }

    public void relinked(String tenant, ProfileRelinked r) {
        send(Topics.PROFILE_EVENTS, r.profileId(), EventTypes.PROFILE_RELINKED, tenant, r);
    }

    /** An OS patch policy as policy-service publishes it, then waits until cluster-service knows its clusters' windows. */
    public void osPatchPolicy(String tenant, PolicySnapshot policy) {
        send(Topics.POLICY_EVENTS, policy.id(), EventTypes.POLICY_CREATED, tenant, policy);
        await("select count(*) from cluster.os_patch_window where policy_id = ?", policy.id());
    }

    /** A policy as policy-service publishes it, then waits until cluster-service knows it. */
    public void policy(String tenant, PolicySnapshot policy) {
        send(Topics.POLICY_EVENTS, policy.id(), EventTypes.POLICY_CREATED, tenant, policy);
        await("select count(*) from cluster.known_policy where id = ? and tenant = ?", policy.id(), tenant);
    }

    /** What an OS patch run of mode RELINK publishes (key and subject = cluster id). */
    public void osPatchRequested(String tenant, OsPatchRequested request) {
        send(Topics.POLICY_EVENTS, request.clusterId(), EventTypes.OS_PATCH_REQUESTED, tenant, request);
    }

    private void await(String sql, Object... params) {
        assertTrue(
                Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(100), () -> count(sql, params) > 0),
                "projection not updated: " + sql);
    }

    private long count(String sql, Object... params) {
        try (var c = db.getConnection();
                var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
