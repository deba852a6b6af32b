-- Projections of other services' entities, kept from their events (never read from their tables).

-- appliances, from appliance-events (ApplianceSnapshot): what pre-flight validation checks against
create table known_appliance (
    id          uuid primary key,
    tenant      text not null,
    uid         text not null,
    status      text not null,            -- UNPAIRED | READY | UNREACHABLE
    kind        text,                     -- VM | BARE_METAL_LIBVIRT | BARE_METAL
    inventory   jsonb,
    version     bigint not null,          -- the snapshot's version: an older snapshot never overwrites a newer one
    updated_at  timestamptz not null,
    constraint known_appliance_uid unique (tenant, uid)
);

-- profile versions, from profile-events (ProfileSnapshot): what a cluster is built from
create table known_profile (
    id          uuid primary key,
    tenant      text not null,
    profile_id  text not null,            -- one row per profile VERSION (each version has its own id)
    type        text not null,            -- FULL | INFRA | ADDON
    cloud_type  text,                     -- containerized | virtualized
    profile     jsonb not null,           -- name, version, tags, layers (resolved, merged values)
    revision    bigint not null,
    updated_at  timestamptz not null,
    constraint known_profile_id unique (tenant, profile_id)
);

-- Clusters. The definition (pools, cloud config, pack values) and a copy of the profiles it is built from
-- live on the row: a profile edited or deleted later does not change a cluster until it is told to
-- (profile change, re-link).
create table cluster (
    id                text primary key,   -- "c" + 8 hex: a valid node-name part on the appliances
    tenant            text not null,
    name              text not null,
    description       text,
    tags              jsonb not null default '{}',
    status            text not null,      -- PENDING | PROVISIONING | RUNNING | UPDATING | DELETING | DELETED | FAILED
    status_reason     text,
    failed_from       text,               -- the status a FAILED cluster resumes on retry
    failed_task_seq   bigint,
    cloud_type        text not null,
    profile_id        text not null,
    addon_profile_ids jsonb not null,    -- {"ids": [...]}
    profiles          jsonb not null,     -- the profile and its add-ons as they were applied
    pack_values       jsonb not null default '{}',
    cloud_config      jsonb not null,
    pools             jsonb not null,     -- {"pools": [...]}
    task_seq          bigint not null default 0,
    revision          bigint not null default 0,
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);
create unique index cluster_name_per_tenant on cluster (tenant, name) where status <> 'DELETED';
create index cluster_tenant_status on cluster (tenant, status, created_at);
create index cluster_active on cluster (status) where status in ('PENDING', 'PROVISIONING', 'UPDATING', 'DELETING');

-- An appliance serves one cluster at a time: the primary key makes two concurrent creates collide.
create table appliance_claim (
    tenant      text not null,
    uid         text not null,
    cluster_id  text not null references cluster (id),
    primary key (tenant, uid)
);
create index appliance_claim_cluster on appliance_claim (cluster_id);

-- Nodes: target says what the orchestrator wants (PRESENT | ABSENT), state where the node is.
create table cluster_node (
    id               uuid primary key,
    cluster_id       text not null references cluster (id),
    node_id          text not null,
    pool_name        text not null,
    appliance_uid    text not null,
    role             text not null,       -- MASTER | WORKER
    target           text not null,       -- PRESENT | ABSENT
    state            text not null,       -- PENDING | CREATING | RUNNING | DELETING | DELETED | FAILED
    spec_hash        text not null,       -- the rendered spec it was (or will be) created from
    awaiting_command text,                -- the command whose result moves this node on; null when settled
    last_command     text,                -- the latest command sent for it (ever sent: the node may exist)
    ref              text,                -- container id or domain UUID
    ip               text,
    message          text,
    observed_state   text,                -- what its gateway last observed, outside commands too
    observed_at      timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    constraint cluster_node_id unique (cluster_id, node_id)
);
create unique index cluster_node_awaiting on cluster_node (awaiting_command) where awaiting_command is not null;

-- Provisioning tasks: every node command and every status transition, in order (seq per cluster).
create sequence cluster_task_change;
create table cluster_task (
    id               uuid primary key,
    cluster_id       text not null references cluster (id),
    seq              bigint not null,
    kind             text not null,       -- create-node | delete-node | cleanup-cluster | status | change | node-lost
    node_id          text,
    appliance_uid    text,
    command_id       text unique,         -- for node commands: matches the gateway's report
    status           text not null,       -- RUNNING | SUCCEEDED | FAILED
    message          text,
    started_at       timestamptz not null,
    finished_at      timestamptz,
    last_report_at   timestamptz not null, -- the send, then the gateway's last progress report: timeouts count from here
    timed_out        boolean not null default false, -- failed for silence: a late result is still applied (once)
    change_no        bigint not null default nextval('cluster_task_change'),
    constraint cluster_task_seq unique (cluster_id, seq)
);
create index cluster_task_open on cluster_task (last_report_at) where status = 'RUNNING' and command_id is not null;
create index cluster_task_changes on cluster_task (cluster_id, change_no);

-- every change of a task gets a new change_no: the live stream (SSE) follows them
create function cluster_task_touch() returns trigger language plpgsql as $$
begin
    new.change_no := nextval('cluster_task_change');
    return new;
end $$;
create trigger cluster_task_change before update on cluster_task for each row execute function cluster_task_touch();
