-- Who created a rollout: the user of POST /v1/rollouts, or 'system' for one a profile's re-link created
-- (profiles whose rollout strategy is ROLLOUT). Rollouts from before are the API's.
alter table rollout add column created_by text not null default 'api';
