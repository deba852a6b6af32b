package io.edgefleet.appliance.link;

import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.appliance.repository.BridgeLinkState;
import io.edgefleet.events.payload.BridgeLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * The edge link as the bridges report it: records their statuses (in the consumer's transaction) and tells the
 * heartbeat sweep whether it may run ({@link LinkGrace}), counting and logging the sweeps it holds back.
 */
@ApplicationScoped
public class EdgeLinkStatus {

    private static final Logger LOG = Logger.getLogger(EdgeLinkStatus.class);

    @Inject
    ApplianceConfig config;

    @Inject
    MeterRegistry metrics;

    private volatile LinkGrace.Verdict last;

    /** Records bridge statuses (inside the caller's transaction), one statement each; an older one changes nothing. */
    public Uni<Void> record(List<BridgeLink> statuses) {
        Instant now = Instant.now();
        return Multi.createFrom()
                .iterable(statuses) // one session: one statement at a time
                .onItem()
                .transformToUniAndConcatenate(s -> BridgeLinkState.record(
                        s.bridgeId(),
                        s.linked(),
                        s.since(),
                        s.sentAt(),
                        s.stopping(),
                        s.brokerClients(),
                        s.clientsBefore(),
                        s.clientsRoseAt(),
                        now))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Whether the sweep may turn silent appliances UNREACHABLE now (inside the caller's session). */
    public Uni<LinkGrace.Verdict> verdict() {
        ApplianceConfig.Heartbeat heartbeat = config.heartbeat();
        LinkGrace grace = new LinkGrace(heartbeat.timeout(), heartbeat.linkFreshness(), heartbeat.linkBlindFor());
        return BridgeLinkState.<BridgeLinkState>listAll()
                .map(rows -> rows.stream()
                        .map(r -> new LinkGrace.BridgeStatus(
                                r.bridgeId,
                                r.linked,
                                r.linkedSince,
                                r.reportedAt,
                                r.stopped,
                                new LinkGrace.Clients(r.brokerClients, r.clientsBefore, r.clientsRoseAt)))
                        .toList())
                .map(bridges -> grace.decide(bridges, Instant.now()))
                .invoke(this::noted);
    }

    /** Logs a change of verdict once (not every sweep) and counts every sweep held back. */
    private void noted(LinkGrace.Verdict verdict) {
        LinkGrace.Verdict before = last;
        last = verdict;
        if (!verdict.sweep()) {
            Counter.builder("edgefleet.heartbeat.sweeps.skipped")
                    .description("Heartbeat sweeps held back because the edge link is not trusted (by reason)")
                    .tag("reason", verdict.reason().metricTag())
                    .register(metrics)
                    .increment();
        }
        if (before == null || before.reason() != verdict.reason()) {
            if (verdict.sweep()) {
                LOG.infof("edge link: %s, heartbeat sweeps run", verdict);
            } else {
                LOG.warnf(
                        "edge link not trusted: %s; no appliance turns UNREACHABLE until every live bridge is linked"
                                + " for %s and the broker's client count stood still that long",
                        verdict, config.heartbeat().timeout());
            }
        }
    }
}
