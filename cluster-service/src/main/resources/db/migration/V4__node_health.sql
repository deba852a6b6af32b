-- Node health: a cluster whose nodes should run but one is observed stopped or crashed is DEGRADED, with the reason;
-- such a node is started again after cluster.node-repair-after, and replaced when it will not start.
alter table cluster add column health text not null default 'HEALTHY';
alter table cluster add column health_reason text;

-- since when the gateway has seen the node down (stopped or crashed) while it should run; null while it runs
alter table cluster_node add column down_since timestamptz;
-- a repair could not start it: the planner replaces it as its pool's rolling strategy says
alter table cluster_node add column broken boolean not null default false;
create index cluster_node_down on cluster_node (down_since) where down_since is not null;
