-- Presence from the link (issue 14). connected_at: when the gateway's newest MQTT connection began, as its reports say
-- (GatewayReport.connectedAt, gateway clock; null: no report carried it, an older gateway). lost_connection and
-- link_lost_at: the connection a link-lost will (edgefleet.gateway.link-lost.v1) said was lost, and when the will was
-- taken (this service's clock); the heartbeat sweep turns the appliance UNREACHABLE a settle time later, under the same
-- link grace as silence, unless a report of a later connection (connected_at > lost_connection) came meanwhile.
alter table appliance
    add column connected_at    timestamptz,
    add column lost_connection timestamptz,
    add column link_lost_at    timestamptz;

create index appliance_link_lost on appliance (link_lost_at) where link_lost_at is not null;
