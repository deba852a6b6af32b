-- Why an appliance is UNREACHABLE, recorded at the transition (lost_connection and link_lost_at are cleared by the sweep
-- that decides, so the reason cannot be derived afterwards). unreachable_reason: LINK_LOST (its gateway's link-lost will)
-- or HEARTBEATS_MISSED (silence); unreachable_since: for LINK_LOST when the broker saw the connection drop (the will
-- taken minus its will delay, link_dropped_at), for HEARTBEATS_MISSED the last report (last_seen_at). Both null while
-- not UNREACHABLE, and for an appliance that turned UNREACHABLE before this migration (its reason was not kept).
alter table appliance
    add column unreachable_reason text check (unreachable_reason in ('LINK_LOST', 'HEARTBEATS_MISSED')),
    add column unreachable_since  timestamptz,
    add column link_dropped_at    timestamptz; -- with a pending loss (lost_connection): the estimated drop
