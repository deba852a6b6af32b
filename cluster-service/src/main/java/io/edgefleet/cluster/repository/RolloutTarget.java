package io.edgefleet.cluster.repository;

import io.edgefleet.cluster.rollout.ScanOutcome;
import io.edgefleet.cluster.rollout.TargetState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One cluster of a rollout and where it stands. The row is the record of what the rollout did to the cluster: a
 * cluster is started only from a startable state, in the transaction that moves it to ROLLING.
 */
@Entity
@Table(name = "rollout_target")
@IdClass(RolloutTarget.Key.class)
public class RolloutTarget extends PanacheEntityBase {

    @Id
    @Column(name = "rollout_id")
    public UUID rolloutId;

    @Id
    @Column(name = "cluster_id")
    public String clusterId;

    public int position;
    public int wave;

    @Enumerated(EnumType.STRING)
    public TargetState state;

    public String reason;

    @Column(name = "from_profile_id")
    public String fromProfileId;

    public Instant since;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The scan in the health gate ({@code strategy.scan}): the request sent for it, null before it was SCANNING. */
    @Column(name = "scan_request_id")
    public String scanRequestId;

    @Column(name = "scan_sent_at")
    public Instant scanSentAt;

    /** policy-service's run answering the request and what it said, once a {@code policy.run-changed} came. */
    @Column(name = "scan_run_id")
    public String scanRunId;

    @Column(name = "scan_status")
    public String scanStatus;

    @Column(name = "scan_reason")
    public String scanReason;

    @Column(name = "scan_passed")
    public Long scanPassed;

    @Column(name = "scan_failed")
    public Long scanFailed;

    @Column(name = "scan_warned")
    public Long scanWarned;

    @Column(name = "scan_error")
    public Long scanError;

    /** The scan as the planner reads it, or null when none was asked for. */
    public ScanOutcome scanOutcome() {
        if (scanRequestId == null) {
            return null;
        }
        return new ScanOutcome(
                scanSentAt,
                scanRunId,
                scanStatus,
                scanReason,
                n(scanPassed),
                n(scanFailed),
                n(scanWarned),
                n(scanError));
    }

    private static long n(Long v) {
        return v == null ? 0 : v;
    }

    /** The composite key (rollout, cluster). */
    public static class Key implements Serializable {
        public UUID rolloutId;
        public String clusterId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && Objects.equals(rolloutId, k.rolloutId)
                    && Objects.equals(clusterId, k.clusterId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rolloutId, clusterId);
        }
    }
}
