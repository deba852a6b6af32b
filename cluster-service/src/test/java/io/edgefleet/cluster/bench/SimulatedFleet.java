package io.edgefleet.cluster.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Bus;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.fleetsim.Fleet;
import io.edgefleet.fleetsim.FleetSettings;
import io.edgefleet.fleetsim.SimIdentity;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.Eventually;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks' simulated appliances: {@code count} of fleet-sim's ({@link Fleet}), uids {@code <prefix>-<i>}, each
 * with a device certificate of the test edge CA (no enrolment) on its own MQTT/TLS connection to the test broker, on the
 * real edge link (Mosquitto, the bridge process, Kafka); heartbeats every 30 s ± 5 s as a real fleet's (cluster-service
 * reads them for node health), node commands answered after 100 ms as {@link RecordingNodeDriver} does. Once all are
 * connected, each is announced READY to cluster-service as appliance-service does once it is paired
 * ({@code appliance.paired}), and {@link #start} returns when cluster-service's projection shows every one READY.
 */
final class SimulatedFleet implements AutoCloseable {

    final Fleet fleet;
    final List<String> uids;
    /** Seconds from the first certificate to every appliance READY in cluster-service. */
    final double setUpSeconds;

    private SimulatedFleet(Fleet fleet, List<String> uids, double setUpSeconds) {
        this.fleet = fleet;
        this.uids = uids;
        this.setUpSeconds = setUpSeconds;
    }

    static SimulatedFleet start(AgroalDataSource db, Bus bus, String tenant, String prefix, int count)
            throws Exception {
        long t0 = System.nanoTime();
        EdgePki pki = EdgeLinkTestResource.pki();
        String mqtt = EdgeLinkTestResource.broker().deviceUrl();
        List<SimIdentity> identities = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String uid = prefix + "-" + i;
            EdgePki.Issued device = pki.device(tenant, uid);
            identities.add(new SimIdentity(
                    tenant,
                    uid,
                    mqtt,
                    device.certificate().getEncoded(),
                    device.key().getEncoded()));
            uids.add(uid);
        }
        FleetSettings settings = new FleetSettings(
                TlsMaterial.trustManagers(pki.platformCa().certFile()),
                mqtt,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                32,
                List.of(),
                2);
        Fleet fleet = new Fleet(settings, identities);
        boolean up = false;
        try {
            fleet.connectAll();
            assertTrue(fleet.awaitConnected(count, 300_000), "every simulated appliance connected");
            for (String uid : uids) { // what appliance-service publishes once each is paired
                bus.send(Topics.APPLIANCE_EVENTS, uid, EventTypes.APPLIANCE_PAIRED, tenant, ready(uid));
            }
            long ready = Eventually.value(
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(1),
                    () -> readyCount(db, tenant, prefix + "-%"),
                    n -> n >= count);
            assertEquals(count, ready, "every simulated appliance READY in cluster-service");
            up = true;
        } finally {
            if (!up) {
                fleet.close();
            }
        }
        return new SimulatedFleet(fleet, List.copyOf(uids), (System.nanoTime() - t0) / 1e9);
    }

    private static long readyCount(AgroalDataSource db, String tenant, String like) {
        return count(
                db,
                "select count(*) from cluster.known_appliance where tenant = ? and uid like ? and status = 'READY'",
                tenant,
                like);
    }

    /** One count of {@code sql}, whose two parameters are the tenant and a {@code like} pattern. */
    static long count(AgroalDataSource db, String sql, String tenant, String like) {
        try (var c = db.getConnection();
                var st = c.prepareStatement(sql)) {
            st.setString(1, tenant);
            st.setString(2, like);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApplianceSnapshot ready(String uid) {
        return new ApplianceSnapshot(
                uid,
                ApplianceStatus.READY,
                uid,
                Map.of(),
                ApplianceKind.VM,
                new Inventory(
                        uid,
                        "10.0.0.1",
                        8,
                        32L << 30,
                        List.of(new Inventory.Disk("sda", 512L << 30)),
                        null,
                        new Inventory.Docker(true, "simulated")),
                "fleet-sim",
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                ProxySettings.NONE,
                Instant.now(),
                null,
                1,
                null,
                null,
                null);
    }

    @Override
    public void close() {
        fleet.close();
    }
}
