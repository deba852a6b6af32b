-- Appliance identity (docs/edge-link.md): registration tokens, the certificates the edge CA issued, and the
-- identity every appliance event carries.

-- A registration token of one tenant. The secret (eft_...) is shown once; only its SHA-256 is kept.
create table registration_token (
    id           uuid primary key,
    tenant       text not null,
    token_hash   text not null,            -- hex SHA-256 of the whole secret
    description  text,
    uid          text,                     -- the only uid it enrols; null: any uid (no re-enrolment)
    tags         jsonb not null default '{}', -- tags of the appliances it registers
    max_uses     integer not null,
    uses         integer not null default 0,
    expires_at   timestamptz not null,
    created_at   timestamptz not null,
    created_by   text,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    -- a secret finds exactly one token
    constraint registration_token_hash unique (token_hash),
    constraint registration_token_max_uses check (max_uses between 1 and 100000),
    -- the last line of defence of use counting: a token is never used more often than allowed
    constraint registration_token_uses check (uses between 0 and max_uses)
);
create index registration_token_tenant on registration_token (tenant, created_at desc);

-- Every certificate the edge CA issued. Kept after its appliance is deleted: the CRL lists revoked
-- certificates until they expire.
create table appliance_certificate (
    id                uuid primary key,
    tenant            text not null,
    uid               text not null,
    appliance_id      uuid not null,       -- the appliance row it was issued to
    serial            text not null,       -- lower-case hex
    not_before        timestamptz not null,
    not_after         timestamptz not null,
    issued_at         timestamptz not null,
    issued_for        text not null,       -- ENROLMENT | RENEWAL
    token_id          uuid,                -- the registration token of an enrolment
    certificate       text not null,       -- PEM (public)
    revoked_at        timestamptz,
    revocation_reason text,                -- SUPERSEDED | REVOKED | APPLIANCE_DELETED
    -- the CA never issues one serial twice; renewal finds the presented certificate by it
    constraint appliance_certificate_serial unique (serial),
    constraint appliance_certificate_revocation check ((revoked_at is null) = (revocation_reason is null))
);
create index appliance_certificate_appliance on appliance_certificate (tenant, uid, issued_at desc);
create index appliance_certificate_revoked on appliance_certificate (not_after) where revoked_at is not null;

-- The identity every appliance event carries (ApplianceSnapshot.identity): the newest certificate.
alter table appliance
    add column identity_status        text not null default 'NONE', -- NONE | ENROLLED | REVOKED
    add column certificate_serial     text,
    add column certificate_expires_at timestamptz;

-- CRL numbers only grow, across restarts and instances
create sequence crl_number;
