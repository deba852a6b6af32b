-- The edge broker's connected-client count as each bridge reports it (edgefleet.bridge.link.v1): after a broker restart
-- the fleet reconnects for minutes, and the heartbeat sweep holds on while the count still rises (link/LinkGrace).
-- Null: the bridge sent none (an older bridge, or the broker's ACL hides $SYS/broker/clients/connected from it).
alter table bridge_link
    add column broker_clients  integer,      -- the count on the bridge's current connection
    add column clients_before  integer,      -- the last count before that connection began (the fleet before)
    add column clients_rose_at timestamptz;  -- when the count last reached a new high on it (bridge clock)
