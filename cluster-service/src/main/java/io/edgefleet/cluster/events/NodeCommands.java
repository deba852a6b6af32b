package io.edgefleet.cluster.events;

import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends node commands to one appliance's gateway through the outbox: key and subject = appliance uid
 * (one partition, so the gateway sees its commands in the order they were decided), tenant = the
 * cluster's tenant (the gateway ignores any other).
 */
@ApplicationScoped
public class NodeCommands {

    @Inject
    Outbox outbox;

    public Uni<Void> send(String tenant, String applianceUid, String eventType, NodeCommand command) {
        return outbox.add(Topics.GATEWAY_COMMANDS, applianceUid, eventType, applianceUid, tenant, command).replaceWithVoid();
    }
}
