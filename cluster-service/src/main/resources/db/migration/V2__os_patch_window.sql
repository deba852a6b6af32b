-- OS patch schedules (OS_PATCH policies of mode RELINK, from policy-events): an OS re-link of a cluster named
-- here waits for the policy's run instead of rolling at once. One row per policy and cluster, so a cluster
-- keeps its window while any such policy is attached.
create table os_patch_window (
    tenant      text not null,
    policy_id   text not null,
    cluster_id  text not null references cluster (id),
    primary key (policy_id, cluster_id)
);
create index os_patch_window_cluster on os_patch_window (cluster_id);

-- the profile copy with the newest OS release, held for the OS patch schedule (null: nothing waits)
alter table cluster add column pending_profile jsonb;
-- the OS patch run being rolled out: {runId, fromVersion, toVersion, train}; answered when the roll ends
alter table cluster add column os_patch jsonb;
