package io.edgefleet.testsupport;

import io.edgefleet.events.KafkaAccess;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real single-node KRaft broker (broker and controller combined) in this JVM, restartable on the same port,
 * locked down as the deployment is (docs/edge-link.md, "Kafka inside"): SASL on every listener, SCRAM-SHA-512
 * users with random passwords for every principal of {@link KafkaAccess}, the ACLs of that table under the
 * {@code StandardAuthorizer}, nothing allowed without an ACL, topics created here (clients may not create any).
 * The test kit's own PLAIN super user stands in for the deployment's admin.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String SCRAM = "SCRAM-SHA-512";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaClusterTestKit cluster;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() {
        long t0 = System.nanoTime();
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                            .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                            .build())
                    // PLAIN: the test kit's admin (inter-broker, controller); SCRAM: every service principal
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN," + SCRAM)
                    // SCRAM's own login module on the listener (as in deploy/local): with only the test kit's PLAIN
                    // module, SCRAM logins from other processes (the bridge) were dropped mid-handshake
                    .setConfigProp(
                            "listener.name.external.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            KafkaBroker broker = new KafkaBroker(cluster);
            broker.lockDown();
            System.out.printf(
                    "[test-infra] Kafka broker at %s (SASL, ACLs) in %d ms%n",
                    broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker", e);
        }
    }

    /** Topics, one SCRAM user per principal and the ACL table, as the deployment sets them up. */
    private void lockDown() throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(KafkaAccess.TOPICS.stream()
                            .map(t -> new NewTopic(t, 3, (short) 1))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
            List<UserScramCredentialUpsertion> users = KafkaAccess.PRINCIPALS.stream()
                    .map(p -> {
                        String password = HexFormat.of().formatHex(RANDOM.generateSeed(16));
                        passwords.put(p.principal(), password);
                        return new UserScramCredentialUpsertion(
                                p.principal(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password);
                    })
                    .toList();
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(KafkaAccess.aclBindings()).all().get(30, TimeUnit.SECONDS);
            awaitApplied(admin);
        }
    }

    /**
     * The controller has committed users and ACLs when the calls above return; the broker applies them a moment
     * later. A client that logs in before that is refused (SCRAM: authentication failed), so wait until the broker
     * serves every ACL and every principal can log in.
     */
    private void awaitApplied(Admin admin) {
        int expected = KafkaAccess.aclBindings().size();
        await("the broker serves " + expected + " ACLs")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> admin.describeAcls(AclBindingFilter.ANY)
                                .values()
                                .get(10, TimeUnit.SECONDS)
                                .size()
                        >= expected);
        for (KafkaAccess access : KafkaAccess.PRINCIPALS) {
            await(access.principal() + " logs in")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> logsIn(access.principal()));
        }
    }

    private boolean logsIn(String principal) throws Exception {
        try (Admin client =
                Admin.create(with(clientProperties(principal), CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            client.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                return false;
            }
            throw e;
        }
    }

    private static Map<String, Object> with(Map<String, Object> properties, String key, Object value) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put(key, value);
        return p;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Client settings of {@code principal} (a {@link KafkaAccess} principal): bootstrap servers and its SCRAM login. */
    public Map<String, Object> clientProperties(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal '" + principal + "'");
        }
        return scram(bootstrapServers(), principal, password);
    }

    /** Settings of a client logging in as {@code user} with {@code password} (e.g. a wrong one). */
    public static Map<String, Object> scram(String bootstrapServers, String user, String password) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        p.put(SaslConfigs.SASL_MECHANISM, SCRAM);
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        return p;
    }

    /** The super user's settings: for test readers and set-up (the deployment's admin). */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
                        + "\";");
        return p;
    }

    /** Shuts the broker down (clients see connection refused) until {@link #resume()}. */
    public void pause() {
        cluster.brokers().values().forEach(b -> b.shutdown());
        cluster.brokers().values().forEach(b -> b.awaitShutdown());
    }

    /** Starts the broker again on the same port with the same data. */
    public void resume() {
        try {
            cluster.brokers().values().forEach(b -> b.startup());
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the test Kafka broker", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("[test-infra] Kafka close failed: " + e);
        }
    }
}
