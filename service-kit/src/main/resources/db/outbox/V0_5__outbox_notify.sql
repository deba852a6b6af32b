-- A transaction that writes the outbox wakes the relay when it commits (LISTEN/NOTIFY: notifications are delivered
-- at commit, never for a rolled back transaction, and one per channel and transaction however many rows it wrote),
-- so an event is published at once instead of at the relay's next poll. The channel is per schema (per service).
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('outbox_' || tg_table_schema, '');
    return null;
end
$$;

create trigger outbox_message_notify after insert on outbox_message
    for each statement execute procedure outbox_notify();
