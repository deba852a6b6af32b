-- When each deleted appliance was deleted: a report of the uid sent before it (or during the edge's cut-off, see
-- deletion/DeletedUid) that reaches this service after the delete must not bring the uid back as a discovered
-- appliance. Kept for appliance.deletion.remember-for (purged at each delete), then the uid is forgotten.
create table deleted_appliance (
    tenant     text not null,
    uid        text not null,
    deleted_at timestamptz not null,
    primary key (tenant, uid)
);
