package io.edgefleet.policy.repository;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
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
import java.util.List;
import java.util.UUID;

/**
 * One command of a run to one node's gateway, and what came back. A restore's task carries the archive it puts back
 * in {@code output.archive} from the start (the gateway's answer adds size, SHA-256 and paths), and moves from stage
 * VERIFY to APPLY with a new command id.
 */
@Entity
@Table(name = "run_node")
public class RunNode extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "run_id")
    public UUID runId;

    public int seq;

    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "pool_name")
    public String poolName;

    @Column(name = "appliance_uid")
    public String applianceUid;

    @Column(name = "command_id")
    public String commandId;

    @Column(name = "command_type")
    public String commandType;

    @Enumerated(EnumType.STRING)
    @Column(name = "scan_kind")
    public NodeTask.ScanKind scanKind;

    /** RESTORE: VERIFY (every node's archive checked, no node touched), then APPLY once all were; null otherwise. */
    @Enumerated(EnumType.STRING)
    public NodeTask.Stage stage;

    @Enumerated(EnumType.STRING)
    public NodeTaskStatus status;

    public String step;
    public String message;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public TaskOutput output;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "last_report_at")
    public Instant lastReportAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public enum NodeTaskStatus {
        WAITING,
        SENT,
        RUNNING,
        SUCCEEDED,
        FAILED,
        SKIPPED;

        public boolean ended() {
            return this == SUCCEEDED || this == FAILED || this == SKIPPED;
        }
    }

    public static Uni<List<RunNode>> ofRun(UUID runId) {
        return RunNode.<RunNode>find("runId = ?1 order by seq, nodeId", runId).list();
    }
}
