package io.edgefleet.events;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who may use which topic: one Kafka principal per service, each writing only its own topics. The deployment
 * (deploy/local) and the tests turn this table into SCRAM users and ACLs; no client may create topics, and
 * anything not granted here is refused (anonymous clients included). See docs/edge-link.md.
 *
 * @param principal   the SCRAM user name
 * @param writes      topics it produces to
 * @param reads       topics it consumes
 * @param groupPrefix consumer groups it may use (a prefix: {@code edge-bridge} covers {@code edge-bridge-access})
 */
public record KafkaAccess(String principal, Set<String> writes, Set<String> reads, String groupPrefix) {

    public static final String ADMIN = "admin";
    public static final String APPLIANCE_SERVICE = "appliance-service";
    public static final String PROFILE_SERVICE = "profile-service";
    public static final String CLUSTER_SERVICE = "cluster-service";
    public static final String POLICY_SERVICE = "policy-service";
    public static final String EDGE_BRIDGE = "edge-bridge";

    /** Every topic, created by the deployment (clients may not create topics). */
    public static final List<String> TOPICS = List.of(
            Topics.APPLIANCE_EVENTS,
            Topics.PROFILE_EVENTS,
            Topics.CLUSTER_EVENTS,
            Topics.POLICY_EVENTS,
            Topics.GATEWAY_COMMANDS,
            Topics.GATEWAY_REPORTS,
            Topics.DEAD_LETTERS);

    public static final List<KafkaAccess> PRINCIPALS = List.of(
            new KafkaAccess(
                    APPLIANCE_SERVICE,
                    Set.of(Topics.APPLIANCE_EVENTS, Topics.DEAD_LETTERS),
                    Set.of(Topics.GATEWAY_REPORTS, Topics.CLUSTER_EVENTS),
                    APPLIANCE_SERVICE),
            new KafkaAccess(
                    PROFILE_SERVICE, Set.of(Topics.PROFILE_EVENTS, Topics.DEAD_LETTERS), Set.of(), PROFILE_SERVICE),
            new KafkaAccess(
                    CLUSTER_SERVICE,
                    Set.of(Topics.CLUSTER_EVENTS, Topics.GATEWAY_COMMANDS, Topics.DEAD_LETTERS),
                    Set.of(
                            Topics.GATEWAY_REPORTS,
                            Topics.APPLIANCE_EVENTS,
                            Topics.PROFILE_EVENTS,
                            Topics.POLICY_EVENTS),
                    CLUSTER_SERVICE),
            new KafkaAccess(
                    POLICY_SERVICE,
                    Set.of(Topics.POLICY_EVENTS, Topics.GATEWAY_COMMANDS, Topics.DEAD_LETTERS),
                    Set.of(Topics.GATEWAY_REPORTS, Topics.CLUSTER_EVENTS),
                    POLICY_SERVICE),
            new KafkaAccess(
                    EDGE_BRIDGE,
                    Set.of(Topics.GATEWAY_REPORTS),
                    Set.of(Topics.GATEWAY_COMMANDS, Topics.APPLIANCE_EVENTS),
                    EDGE_BRIDGE));

    /** The ACLs of the whole table (allow only; everything else is denied by the broker). */
    public static List<AclBinding> aclBindings() {
        List<AclBinding> acls = new ArrayList<>();
        for (KafkaAccess access : PRINCIPALS) {
            access.writes.forEach(topic -> acls.add(
                    allow(access.principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE)));
            access.reads.forEach(topic -> acls.add(
                    allow(access.principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ)));
            acls.add(allow(
                    access.principal, ResourceType.GROUP, access.groupPrefix, PatternType.PREFIXED, AclOperation.READ));
        }
        return acls;
    }

    private static AclBinding allow(
            String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        // WRITE and READ imply DESCRIBE; WRITE on a topic also allows the idempotent producer (KIP-679)
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** The principal that writes {@code topic} (for gateway-commands and dead-letters: the first of its writers). */
    public static String writerOf(String topic) {
        return PRINCIPALS.stream()
                .filter(a -> a.writes.contains(topic))
                .map(KafkaAccess::principal)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nobody writes topic '" + topic + "'"));
    }

    public static KafkaAccess of(String principal) {
        return PRINCIPALS.stream()
                .filter(a -> a.principal.equals(principal))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka principal '" + principal + "'"));
    }
}
