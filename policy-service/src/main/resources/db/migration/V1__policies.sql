-- Clusters as cluster-service publishes them (cluster-events): which nodes run on which appliance.
create table known_cluster (
    id          text primary key,
    tenant      text not null,
    name        text not null,
    status      text not null,            -- ClusterStatus
    nodes       jsonb not null,           -- {"nodes": [{nodeId, poolName, applianceUid, state}]}
    revision    bigint not null,          -- an older snapshot never overwrites a newer one
    updated_at  timestamptz not null
);

-- Policies of a tenant, attached to clusters.
create table policy (
    id           uuid primary key,
    tenant       text not null,
    name         text not null,
    kind         text not null,           -- OS_PATCH | SCAN | BACKUP
    cron         text,                    -- 5-field cron; null: on demand only
    time_zone    text not null,
    next_run_at  timestamptz,
    cluster_ids  jsonb not null,          -- {"ids": [...]}
    settings     jsonb not null,          -- the kind's settings (never the store secret)
    store_secret text,                    -- BACKUP: the object store's secret key, encrypted (AES-GCM)
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    revision     bigint not null default 0,
    constraint policy_name unique (tenant, name)
);
create index policy_due on policy (next_run_at) where next_run_at is not null;

-- Runs: a policy run on one cluster (scan, backup, OS patch) or a restore.
create table run (
    id            uuid primary key,
    tenant        text not null,
    kind          text not null,          -- SCAN | BACKUP | RESTORE | OS_PATCH
    policy_id     uuid,                   -- null for restores and on-demand scans without a policy
    policy_name   text,
    cluster_id    text not null,
    trigger       text not null,          -- SCHEDULED | ON_DEMAND
    status        text not null,          -- SKIPPED | RUNNING | SUCCEEDED | FAILED | EXPIRED
    reason        text,
    detail        jsonb not null,         -- what the run does (scan kinds, backup location and retention, restore source, patch command)
    store_secret  text,                   -- BACKUP: copy of the policy's encrypted secret, so its archives stay reachable
    size_bytes    bigint,                 -- BACKUP: sum of the archives
    created_at    timestamptz not null,
    finished_at   timestamptz,
    objects_deleted_at timestamptz        -- BACKUP: archives deleted from the store (retention, or a failed backup)
);
-- runs never overlap on one cluster: the database refuses a second running one
create unique index run_one_running_per_cluster on run (cluster_id) where status = 'RUNNING';
create index run_by_tenant_kind on run (tenant, kind, created_at desc);
create index run_by_policy on run (policy_id, cluster_id, created_at desc);

-- One command of a run to one node's gateway.
create table run_node (
    id              uuid primary key,
    run_id          uuid not null references run (id),
    seq             int not null,         -- order of sequential runs (OS patch: one node at a time)
    node_id         text not null,
    pool_name       text,
    appliance_uid   text not null,
    command_id      text not null unique,
    command_type    text not null,
    scan_kind       text,                 -- SCAN: which scan this command runs
    status          text not null,        -- WAITING | SENT | RUNNING | SUCCEEDED | FAILED | SKIPPED
    step            text,
    message         text,
    output          jsonb,                -- TaskOutput
    sent_at         timestamptz,
    last_report_at  timestamptz,
    finished_at     timestamptz
);
create index run_node_by_run on run_node (run_id, seq);
create index run_node_silent on run_node (status, last_report_at) where status in ('SENT', 'RUNNING');
