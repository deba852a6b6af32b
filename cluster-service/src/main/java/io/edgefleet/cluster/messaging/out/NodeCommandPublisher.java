package io.edgefleet.cluster.messaging.out;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.kit.commands.GatewayCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends node commands to one appliance's gateway through the outbox: key and subject = appliance uid
 * (one partition, so the gateway sees its commands in the order they were decided), tenant = the
 * cluster's tenant (the gateway ignores any other). The command's deadline is the command timeout: it is never
 * delivered after cluster-service gave up on it, and sent again while its gateway stays silent.
 */
@ApplicationScoped
public class NodeCommandPublisher {

    @Inject
    GatewayCommands commands;

    @Inject
    ClusterConfig config;

    public Uni<Void> send(String tenant, String applianceUid, String eventType, NodeCommand command) {
        return commands.send(tenant, applianceUid, eventType, command.commandId(), command, config.commandTimeout());
    }
}
