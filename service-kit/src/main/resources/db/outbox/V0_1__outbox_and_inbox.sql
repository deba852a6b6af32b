-- Transactional outbox: written in the same transaction as the state change, published by OutboxRelay.
create table outbox_message (
    id           uuid primary key,
    seq          bigserial not null unique,   -- publish order
    topic        text not null,
    message_key  text not null,               -- Kafka key: the aggregate id, so one entity's events stay in order
    event_type   text not null,
    subject      text,
    tenant       text not null,
    occurred_at  timestamptz not null,
    payload      text not null,
    published_at timestamptz
);
create index outbox_message_pending on outbox_message (seq) where published_at is null;
create index outbox_message_published on outbox_message (published_at) where published_at is not null;

-- Inbox: ids of events a consumer has handled, written in the same transaction as the handling.
create table processed_event (
    consumer     text not null,
    event_id     text not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);
create index processed_event_age on processed_event (processed_at);
