-- Audit log: every write a caller of the API attempted, recorded by the service that handled it (kit AuditFilter).
-- Never the body, the query string or a token: who, what, on which path, how it ended, when, which request.
create table audit_record (
    id          bigserial primary key,
    tenant      text not null,
    actor       text not null,            -- the token's principal (user name or client id)
    action      text not null,            -- the operation, e.g. createCluster
    method      text not null,
    target      text not null,            -- the request path, ids included
    status      int not null,             -- the HTTP status answered
    outcome     text not null,            -- SUCCEEDED (2xx/3xx) | REFUSED (4xx) | FAILED (5xx)
    request_id  text not null,
    occurred_at timestamptz not null
);
create index audit_record_tenant_time on audit_record (tenant, occurred_at desc, id desc);
