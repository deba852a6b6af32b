-- Policies of each tenant as policy-service publishes them (policy-events): a cluster may name some when it
-- is created, and they must exist.
create table known_policy (
    id      text primary key,
    tenant  text not null,
    kind    text not null,
    name    text not null
);
create index known_policy_tenant on known_policy (tenant);

-- the policies named at create: {"ids": [...]}; policy-service attaches the cluster to them
alter table cluster add column policy_ids jsonb not null default '{"ids": []}';
