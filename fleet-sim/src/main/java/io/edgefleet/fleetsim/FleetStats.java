package io.edgefleet.fleetsim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the fleet did, counted as it happens (lock-free). */
public final class FleetStats {

    /** Appliances with a live MQTT connection now. */
    public final AtomicInteger connected = new AtomicInteger();

    public final LongAdder connects = new LongAdder();
    public final LongAdder connectionsLost = new LongAdder();
    public final LongAdder drops = new LongAdder();

    /** Registrations and heartbeats: published, acknowledged by the broker (success PUBACK), not. */
    public final LongAdder reportsPublished = new LongAdder();

    public final LongAdder reportsAcked = new LongAdder();
    public final LongAdder registrationsAcked = new LongAdder();
    public final LongAdder reportsNoSubscriber = new LongAdder();
    public final LongAdder reportsRefused = new LongAdder();
    public final LongAdder reportsFailed = new LongAdder();
    /** Heartbeats due while the appliance was not connected (a real gateway keeps one waiting; so does this one). */
    public final LongAdder heartbeatsWhileOffline = new LongAdder();

    public final LongAdder commandsReceived = new LongAdder();
    public final LongAdder commandsRepeated = new LongAdder();
    public final LongAdder resultsAcked = new LongAdder();
    public final LongAdder resultsFailed = new LongAdder();
    public final LongAdder progressAcked = new LongAdder();

    /** From publishing a report to its PUBACK. */
    public final Histogram pubAck = new Histogram();
    /** From the first connect attempt of the run to connected, per appliance. */
    public final Histogram connectTime = new Histogram();
    /** From a lost connection (not a drop asked for) to connected again, per reconnect. */
    public final Histogram reconnectTime = new Histogram();

    /** The first lost connection of the run, and the last time after it that every appliance was connected again. */
    private final AtomicLong firstLossNanos = new AtomicLong();

    private final AtomicLong allBackNanos = new AtomicLong();

    void lost(long nanos) {
        firstLossNanos.compareAndSet(0, nanos);
    }

    /** After an appliance connected: {@code live} now connected of {@code size}. */
    void connectedNow(int live, int size, long nanos) {
        if (live == size && firstLossNanos.get() != 0) {
            allBackNanos.accumulateAndGet(nanos, Math::max);
        }
    }

    /** Seconds from the first lost connection until all were connected again; -1 if none was lost or not all are back. */
    public double secondsUntilAllBack() {
        long lost = firstLossNanos.get();
        long back = allBackNanos.get();
        return lost == 0 || back < lost ? -1 : Math.round((back - lost) / 1e8) / 10.0;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("connected", connected.get());
        s.put("connects", connects.sum());
        s.put("connectionsLost", connectionsLost.sum());
        s.put("drops", drops.sum());
        s.put("reportsPublished", reportsPublished.sum());
        s.put("reportsAcked", reportsAcked.sum());
        s.put("registrationsAcked", registrationsAcked.sum());
        s.put("reportsNoSubscriber", reportsNoSubscriber.sum());
        s.put("reportsRefused", reportsRefused.sum());
        s.put("reportsFailed", reportsFailed.sum());
        s.put("heartbeatsWhileOffline", heartbeatsWhileOffline.sum());
        s.put("commandsReceived", commandsReceived.sum());
        s.put("commandsRepeated", commandsRepeated.sum());
        s.put("resultsAcked", resultsAcked.sum());
        s.put("resultsFailed", resultsFailed.sum());
        s.put("progressAcked", progressAcked.sum());
        s.put("pubAckP50Ms", pubAck.percentile(0.50));
        s.put("pubAckP99Ms", pubAck.percentile(0.99));
        s.put("connectP50Ms", connectTime.percentile(0.50));
        s.put("connectP99Ms", connectTime.percentile(0.99));
        s.put("reconnects", reconnectTime.count());
        s.put("reconnectP50Ms", reconnectTime.percentile(0.50));
        s.put("reconnectP99Ms", reconnectTime.percentile(0.99));
        s.put("reconnectMaxMs", reconnectTime.percentile(1.0));
        s.put("secondsUntilAllBack", secondsUntilAllBack());
        return s;
    }
}
