-- Reads of a node's console (GET /v1/clusters/{id}/nodes/{node}/console): the read-node-console command sent to the
-- node's gateway, and its answer (the node.console report) once it came. The REST call waits for the answer a few
-- seconds; a caller who got 202 asks again and gets the same read while it is open or just answered. Rows go after
-- a day.
create table node_console_read (
    command_id     text primary key,
    tenant         text not null,
    cluster_id     text not null,
    node_id        text not null,
    appliance_uid  text not null,
    lines          int not null,
    requested_at   timestamptz not null,
    last_sent_at   timestamptz not null,   -- an open read a caller asks for again is sent again when silent this long
    expires_at     timestamptz not null,   -- the command's deadline: unanswered after it, a new read is sent
    answered_at    timestamptz,
    outcome        text,                   -- SUCCEEDED | FAILED
    message        text,                   -- FAILED: why, as the gateway said
    source         text,                   -- SERIAL_CONSOLE | CONTAINER_LOG
    output         text,                   -- the lines, oldest first, as a JSON array
    truncated      boolean not null default false
);
create index node_console_read_node on node_console_read (tenant, cluster_id, node_id, lines, requested_at);
create index node_console_read_age on node_console_read (requested_at);
