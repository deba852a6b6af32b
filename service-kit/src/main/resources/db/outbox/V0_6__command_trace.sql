-- The trace context a gateway command was first sent in: a command sent again (CommandResender) stays in that trace,
-- so a cluster creation whose command needed a resend is still one trace. Null for commands stored before this column.
alter table gateway_command add column traceparent text;
alter table gateway_command add column tracestate text;
