-- A rollout's scan in the health gate (cluster-service's scan-requested): the run that answers a request carries its
-- id, one run per request (a resent request finds it and publishes it again instead of running twice).
alter table run add column request_id text;
create unique index run_by_request on run (request_id) where request_id is not null;
