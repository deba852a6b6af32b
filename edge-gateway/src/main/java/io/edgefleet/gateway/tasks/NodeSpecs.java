package io.edgefleet.gateway.tasks;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.state.LocalStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The spec a node was created from: the payload of the create-node command whose id the node carries,
 * as the gateway recorded it, with the appliance's defaults applied as they were at creation.
 */
final class NodeSpecs {

    private final LocalStore store;
    private final UnaryOperator<NodeSpec> nodeDefaults;

    NodeSpecs(LocalStore store, UnaryOperator<NodeSpec> nodeDefaults) {
        this.store = store;
        this.nodeDefaults = nodeDefaults;
    }

    /** Empty when the node's create command is not recorded here (created by another installation). */
    Optional<NodeSpec> of(NodeStatus node) {
        if (node.commandId() == null) {
            return Optional.empty();
        }
        return store.command(node.commandId())
                .filter(c -> EventTypes.CREATE_NODE.equals(c.type()))
                .map(c -> EventJson.read(c.payload().getBytes(StandardCharsets.UTF_8), NodeCommand.class)
                        .spec())
                .filter(spec ->
                        spec != null && node.nodeId() != null && node.nodeId().equals(spec.nodeId()))
                .map(nodeDefaults);
    }
}
