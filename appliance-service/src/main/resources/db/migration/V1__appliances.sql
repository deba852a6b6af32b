-- One row per appliance uid and tenant. A gateway that reports before its appliance is registered
-- gets a row with registered = false ("discovered"); registering it pairs it at once.
create table appliance (
    id              uuid primary key,
    tenant          text not null,
    uid             text not null,
    registered      boolean not null,
    status          text,                     -- UNPAIRED | READY | UNREACHABLE; null while only discovered
    tags            jsonb not null default '{}',
    kind            text,                     -- VM | BARE_METAL_LIBVIRT | BARE_METAL, as reported
    inventory       jsonb,
    gateway_version text,
    mode            text,
    pod_cidr        text,
    service_cidr    text,
    proxy           jsonb,
    last_seen_at    timestamptz,              -- when the last report was handled (service clock)
    last_report_at  timestamptz,              -- the last report's own time (gateway clock), orders reports
    paired_at       timestamptz,
    used_by_cluster text,                     -- set by cluster-service events; blocks delete
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    version         bigint not null default 0,
    constraint appliance_uid_per_tenant unique (tenant, uid),
    constraint appliance_status_when_registered check (registered = (status is not null))
);
create index appliance_tenant_status on appliance (tenant, status) where registered;
create index appliance_ready_last_seen on appliance (last_seen_at) where status = 'READY';
create index appliance_tags on appliance using gin (tags);
