-- A rollout's scan in the health gate (strategy.scan): a SCANNING target's request to policy-service and its answer.
alter table rollout_target add column scan_request_id text;     -- the scan-requested id (a resend carries the same)
alter table rollout_target add column scan_sent_at timestamptz; -- when it was last sent
alter table rollout_target add column scan_run_id text;         -- policy-service's run answering it, once seen
alter table rollout_target add column scan_status text;         -- that run's status (RUNNING, SUCCEEDED, FAILED, SKIPPED)
alter table rollout_target add column scan_reason text;
alter table rollout_target add column scan_passed bigint;
alter table rollout_target add column scan_failed bigint;
alter table rollout_target add column scan_warned bigint;
alter table rollout_target add column scan_error bigint;
create unique index rollout_target_scan_request on rollout_target (scan_request_id) where scan_request_id is not null;
