package io.edgefleet.bridge.mosquitto;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.edgefleet.bridge.mqtt.PlatformListener;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Ends a device's live connection and its session. Mosquitto checks the CRL only at the TLS handshake, so a revoked
 * device that is connected stays connected: connecting with its client id {@code <tenant>/<uid>} (client ids are
 * one namespace across listeners, free on the platform listener) makes the broker close the device's connection
 * (session taken over); clean start and session expiry 0 then drop its session and queued commands.
 */
final class SessionTakeover {

    private static final Logger LOG = Logger.getLogger(SessionTakeover.class);

    private final PlatformListener listener;

    SessionTakeover(PlatformListener listener) {
        this.listener = listener;
    }

    /** @return whether the session was taken over and ended */
    boolean end(String identity) {
        Mqtt5AsyncClient client = listener.client(identity).buildAsync();
        try {
            client.connectWith()
                    .cleanStart(true)
                    .sessionExpiryInterval(0)
                    .send()
                    .get(15, TimeUnit.SECONDS);
            client.disconnectWith().sessionExpiryInterval(0).send().get(5, TimeUnit.SECONDS);
            LOG.infof("ended the MQTT session of %s", identity);
            return true;
        } catch (Exception e) {
            LOG.warnf("could not take over the MQTT session of %s: %s", identity, e.getMessage());
            return false;
        }
    }
}
