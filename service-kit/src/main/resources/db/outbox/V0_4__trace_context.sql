-- The W3C trace context of the request (or event handling) that wrote the event, taken at write time: the relay puts it
-- in the CloudEvent's distributed-tracing extension (ce_traceparent, ce_tracestate), so the consumers' work joins the
-- same trace. Null for rows written outside any trace (and for rows written before this column): a new trace starts.
alter table outbox_message add column traceparent text;
alter table outbox_message add column tracestate text;
