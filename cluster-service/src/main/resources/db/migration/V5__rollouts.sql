-- Fleet rollouts: one change (a profile version) carried to many clusters in waves (issue 15).
create table rollout (
    id                uuid primary key,
    tenant            text not null,
    name              text not null,
    profile_id        text not null,      -- the profile version the clusters change to
    selector          jsonb not null,     -- {profileIds, tags, clusterIds} as asked (the targets are fixed at create)
    strategy          jsonb not null,     -- rollout.RolloutStrategy
    status            text not null,      -- RUNNING | PAUSED | COMPLETED | ABORTED
    status_reason     text,
    accepted_failures int not null default 0,  -- FAILED clusters accepted by the last resume
    waves             int not null,
    revision          bigint not null default 0,
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);
create index rollout_tenant on rollout (tenant, created_at);
create index rollout_running on rollout (status) where status = 'RUNNING';

-- One row per cluster of a rollout: the record of what was started, so a restart never starts a cluster twice.
create table rollout_target (
    rollout_id        uuid not null references rollout (id),
    cluster_id        text not null references cluster (id),
    position          int not null,       -- order in the rollout
    wave              int not null,       -- 0: the canaries, when the strategy has some
    state             text not null,      -- rollout.TargetState
    reason            text,
    from_profile_id   text not null,      -- the profile version the cluster had (for a rollback)
    since             timestamptz not null,  -- when it entered its state
    started_at        timestamptz,
    finished_at       timestamptz,
    primary key (rollout_id, cluster_id)
);
create index rollout_target_cluster on rollout_target (cluster_id);
