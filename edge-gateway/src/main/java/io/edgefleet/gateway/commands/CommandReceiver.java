package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.gateway.link.MqttLink;
import org.jboss.logging.Logger;

/**
 * Commands as they come off the edge link (already checked to be addressed to this appliance's identity): node
 * commands and policy tasks go to the executor, which records them before the link acknowledges; console reads to
 * the {@link ConsoleReader} (they change nothing and must not wait behind a node command); any other type
 * is acknowledged and skipped — a newer service may send types this gateway does not know.
 */
public final class CommandReceiver implements MqttLink.Commands {

    private static final Logger LOG = Logger.getLogger(CommandReceiver.class);

    private final CommandExecutor executor;
    private final ConsoleReader consoles;

    public CommandReceiver(CommandExecutor executor, ConsoleReader consoles) {
        this.executor = executor;
        this.consoles = consoles;
    }

    @Override
    public void accept(CloudEvent command) {
        if (EventTypes.READ_NODE_CONSOLE.equals(command.type())) {
            consoles.accept(command);
            return;
        }
        if (!CommandExecutor.TYPES.contains(command.type())) {
            LOG.warnf("skipping command %s of unknown type %s", command.id(), command.type());
            return;
        }
        executor.accept(command);
    }
}
