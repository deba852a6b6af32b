-- A gateway command's deadline travels with it (CloudEvents extension expiresat): the bridge turns it into the MQTT
-- message expiry, so a command is never delivered after its sender gave up on it.
alter table outbox_message add column expires_at timestamptz;

-- Gateway commands still open: sent, not yet finished, not yet given up. The resender sends a silent one again
-- (same commandId: the gateway runs it once), because the MQTT broker may lose what it held only in memory.
create table gateway_command (
    command_id    text primary key,
    tenant        text not null,
    appliance_uid text not null,
    event_type    text not null,
    payload       text not null,
    timeout_secs  bigint not null,       -- the sender gives up this long after its last word from the gateway
    sent_at       timestamptz not null,  -- first send
    last_sent_at  timestamptz not null,
    last_heard_at timestamptz,           -- the gateway's last report about it (null: never taken)
    sends         int not null default 1
);
create index gateway_command_silent on gateway_command (coalesce(last_heard_at, sent_at));
