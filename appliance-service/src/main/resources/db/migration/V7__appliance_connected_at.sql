-- Presence from the link (issue 14): when the gateway's newest MQTT connection began, as its reports say
-- (GatewayReport.connectedAt, gateway clock). A link-lost will (edgefleet.gateway.link-lost.v1) of an earlier connection
-- is stale: the gateway is back. Null: no report carried it (an older gateway).
alter table appliance
    add column connected_at timestamptz;
