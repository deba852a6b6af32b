-- The edge link as each edge bridge instance reports it (edgefleet.bridge.link.v1 on gateway-reports): the heartbeat
-- sweep turns silent appliances UNREACHABLE only while the link is trusted (link/LinkGrace). In the database, not in
-- memory: the instances of this service share the topic's partitions and one of them sweeps (JobLock).
create table bridge_link (
    bridge_id    text primary key,          -- the bridge's MQTT client id
    linked       boolean not null,          -- connected to the edge broker and subscribed to the reports
    linked_since timestamptz not null,      -- when the link last changed to this state (bridge clock)
    reported_at  timestamptz not null,      -- when the bridge sent this status (bridge clock): the newest wins
    stopped      boolean not null,          -- its last word as it stopped: gone, no longer counted
    recorded_at  timestamptz not null       -- when it was recorded here (service clock)
);
