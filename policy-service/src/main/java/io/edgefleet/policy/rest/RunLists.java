package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;

import java.util.List;

/** The list endpoints of scans, backups and restores: same filters, same paging. */
final class RunLists {

    private RunLists() {
    }

    static Uni<Page<RunView>> list(RunService runs, String tenant, RunKind kind, String clusterId, String status, String page, String size) {
        RunStatus statusFilter = QueryParams.enumValue("status", status, RunStatus.class);
        int p = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int s = QueryParams.intValue("size", size, 50, 1, 200);
        return runs.list(tenant, List.of(kind), Ids.clusterId("clusterId", clusterId), null, statusFilter, p, s)
                .map(r -> new Page<>(r.items().stream().map(run -> RunView.of(run, null)).toList(), p, s, r.total()));
    }
}
