-- How running clusters take a re-link or a change of the profile (events' ProfileRollout as JSON):
-- {"mode":"IMMEDIATE"} (every existing profile: today's behaviour) or {"mode":"ROLLOUT", ...default strategy}.
alter table profile add column rollout jsonb not null default '{"mode": "IMMEDIATE"}';
