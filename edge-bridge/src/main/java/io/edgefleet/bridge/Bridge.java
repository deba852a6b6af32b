package io.edgefleet.bridge;

import io.edgefleet.bridge.commands.CommandRelay;
import io.edgefleet.bridge.link.LinkReporter;
import io.edgefleet.bridge.mosquitto.AccessSync;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.reports.ReportRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Starts the relays in dependency order and stops them in reverse, so that a stop loses nothing: the command relay
 * commits what the broker acknowledged, reports on their way to Kafka finish and are acknowledged, and only then the
 * MQTT connection closes (its session, with whatever is still unacknowledged, stays with the broker).
 */
@ApplicationScoped
public class Bridge {

    private static final Logger LOG = Logger.getLogger(Bridge.class);

    @Inject
    MqttConnection mqtt;

    @Inject
    ReportRelay reports;

    @Inject
    CommandRelay commands;

    @Inject
    AccessSync accessSync;

    @Inject
    LinkReporter link;

    void start(@Observes StartupEvent started) {
        reports.start();
        link.start(); // before MQTT: the first status says "not linked yet", the next one when the link is up
        mqtt.start(reports::relay, reports.executor(), reports::connectionLost);
        commands.start();
        if (accessSync.enabled()) {
            accessSync.start();
        } else {
            LOG.info("access sync off (bridge.mosquitto.acl-file not set)");
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        commands.stop();
        if (accessSync.enabled()) {
            accessSync.stop();
        }
        reports.stop();
        mqtt.stop();
        link.stop(); // last: says "not linked" at once instead of leaving the platform to wait for staleness
        LOG.info("edge bridge stopped");
    }
}
