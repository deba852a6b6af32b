-- Registries: the built-in catalog (tenant null, visible to every tenant) and each tenant's own.
create table registry (
    id              text primary key,          -- 'builtin' or a UUID
    tenant          text,                      -- null: the built-in catalog
    name            text not null,
    kind            text not null,             -- BUILTIN | PACK | HELM | LOCAL
    url             text,                      -- PACK and HELM: where the index is read
    last_sync_at    timestamptz,               -- last attempt, successful or not
    last_sync_error text,                      -- why the last attempt failed; null after a success
    last_success_at timestamptz,
    index_digest    text,                      -- sha-256 of the last good index: an unchanged index is skipped
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    constraint registry_name_per_tenant unique (tenant, name),
    constraint registry_url_when_remote check ((kind in ('PACK', 'HELM')) = (url is not null))
);
insert into registry (id, tenant, name, kind, created_at, updated_at)
values ('builtin', null, 'edgefleet', 'BUILTIN', now(), now());

-- Every version of every pack or chart a registry offers. Releases are immutable once stored.
create table pack_version (
    id           uuid primary key,
    registry_id  text not null references registry (id) on delete cascade,
    name         text not null,
    layer        text not null,                -- OS | KUBERNETES | NETWORK | STORAGE | ADDON
    addon_type   text,
    display_name text,
    description  text,
    version      text not null,
    prerelease   boolean not null,
    app_version  text,                         -- Helm charts
    digest       text,
    released_at  timestamptz,                  -- Helm 'created'
    defaults     text not null default '',     -- default values (YAML)
    extras       jsonb not null,               -- {"presets": [...], "urls": [...]} (chart download URLs)
    withdrawn    boolean not null default false, -- gone from the registry's index: kept for profiles that use it
    published_at timestamptz not null,
    constraint pack_version_once unique (registry_id, name, version)
);
create index pack_version_search on pack_version (layer, name);

-- One row per profile version; a new version is a new row, earlier ones are kept.
create table profile (
    id          uuid primary key,
    tenant      text not null,
    name        text not null,
    version     text not null,                 -- MAJOR.MINOR.PATCH
    description text,
    tags        jsonb not null default '{}',
    type        text not null,                 -- FULL | INFRA | ADDON
    environment text,                          -- 'edge'
    cloud_type  text,                          -- CONTAINERIZED | VIRTUALIZED
    stack       jsonb not null,                -- {"layers": [ProfileLayer...]}, bottom of the stack first
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    revision    bigint not null default 0,
    constraint profile_version_once unique (tenant, name, version)
);
-- re-links and registry deletes find the profiles that use a pack: stack @> '{"layers":[{"registryId":..,"name":..}]}'
create index profile_stack on profile using gin (stack jsonb_path_ops);
