package io.edgefleet.policy.repository;

import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** A cluster as cluster-service last published it: policy-service never reads cluster-service's tables. */
@Entity
@Table(name = "known_cluster")
public class KnownCluster extends PanacheEntityBase {

    @Id
    public String id;

    public String tenant;
    public String name;

    @Enumerated(EnumType.STRING)
    public ClusterStatus status;
    /** JSON columns hold objects (Hibernate Reactive binds JSON as objects): the list is wrapped. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public Nodes nodes = new Nodes(List.of());

    public long revision;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public record Nodes(List<ClusterSnapshot.Node> nodes) {}

    /** The cluster's nodes that exist (running, or being created or replaced), ordered by pool and node id. */
    public List<ClusterSnapshot.Node> liveNodes() {
        return nodes.nodes().stream()
                .filter(n -> !"DELETED".equals(n.state()) && !"DELETING".equals(n.state()))
                .sorted(Comparator.comparing(ClusterSnapshot.Node::poolName)
                        .thenComparing(ClusterSnapshot.Node::nodeId))
                .toList();
    }

    public static Uni<KnownCluster> of(String tenant, String id) {
        return KnownCluster.<KnownCluster>findById(id).map(c -> c != null && c.tenant.equals(tenant) ? c : null);
    }
}
