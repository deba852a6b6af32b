package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;

import java.util.List;

/** The list endpoints of scans, backups and restores: same filters, same paging, every bad parameter in one 400. */
final class RunLists {

    private RunLists() {}

    static Uni<Page<RunView>> list(
            RunService runs, String tenant, RunKind kind, String clusterId, String status, PageQuery pageQuery) {
        Validator v = new Validator();
        String cluster = Ids.clusterId(v, "clusterId", clusterId);
        RunStatus statusFilter = QueryParams.enumValue(v, "status", status, RunStatus.class);
        Paging paging = Paging.of(v, pageQuery);
        v.throwIfInvalid();
        return runs.list(tenant, List.of(kind), cluster, null, statusFilter, paging.page(), paging.size())
                .map(r -> new Page<>(
                        r.items().stream().map(run -> RunView.of(run, null)).toList(),
                        paging.page(),
                        paging.size(),
                        r.total()));
    }
}
