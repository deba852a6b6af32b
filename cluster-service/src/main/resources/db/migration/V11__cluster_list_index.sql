-- GET /v1/clusters without a status filter: newest first of a tenant's clusters that are not DELETED. Without this the
-- page was a sequential scan and a sort of every cluster (66 ms for the first page, 149 ms with an on-disk sort for
-- page 150 at 10,000 clusters per tenant: deploy/bench/list-at-scale.sh clusters); with it, an index scan of the page.
create index cluster_listed on cluster (tenant, created_at desc, id) where status <> 'DELETED';
