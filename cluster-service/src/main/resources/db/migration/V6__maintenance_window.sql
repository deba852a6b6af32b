-- When rollouts may touch a cluster (rollout.MaintenanceWindow: {cron, zone, duration}); null: any time (issue 15).
alter table cluster add column maintenance_window jsonb;
