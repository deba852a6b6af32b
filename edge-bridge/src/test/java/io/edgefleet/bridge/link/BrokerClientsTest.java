package io.edgefleet.bridge.link;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The broker's connected-client count over the bridge's connections: baseline, new highs, "before" (no I/O). */
class BrokerClientsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void theFirstCountOfAConnectionIsItsBaselineAndOnlyANewHighIsARise() {
        BrokerClients clients = new BrokerClients();
        assertEquals(new BrokerClients.Snapshot(null, null, null), clients.snapshot());
        clients.seen(10_001, T0);
        assertEquals(new BrokerClients.Snapshot(10_001, null, null), clients.snapshot(), "a baseline is no rise");
        clients.seen(10_000, T0.plusSeconds(10)); // one appliance drops ...
        clients.seen(10_001, T0.plusSeconds(20)); // ... and comes back: churn, not a new high
        assertNull(clients.snapshot().roseAt());
        clients.seen(10_002, T0.plusSeconds(30)); // a new one
        assertEquals(new BrokerClients.Snapshot(10_002, null, T0.plusSeconds(30)), clients.snapshot());
    }

    @Test
    void afterALostConnectionTheLastCountIsBeforeAndTheRiseOfTheNewOneCounts() {
        BrokerClients clients = new BrokerClients();
        clients.seen(10_001, T0);
        clients.connectionLost(); // the broker restarts
        clients.connectionLost(); // a failed reconnection attempt keeps what was known
        assertEquals(new BrokerClients.Snapshot(null, 10_001, null), clients.snapshot());
        clients.seen(1, T0.plusSeconds(5)); // the bridge is among the first back
        clients.seen(170, T0.plusSeconds(15));
        clients.seen(340, T0.plusSeconds(25));
        assertEquals(new BrokerClients.Snapshot(340, 10_001, T0.plusSeconds(25)), clients.snapshot());
    }

    @Test
    void aPayloadThatIsNotACountIsIgnored() {
        assertEquals(42, BrokerClients.parse("42".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(42, BrokerClients.parse("42\n".getBytes(StandardCharsets.US_ASCII)));
        assertNull(BrokerClients.parse("forty-two".getBytes(StandardCharsets.US_ASCII)));
        assertNull(BrokerClients.parse("-1".getBytes(StandardCharsets.US_ASCII)));
        assertNull(BrokerClients.parse(new byte[0]));
    }
}
