package io.edgefleet.fleetsim;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import io.reactivex.schedulers.Schedulers;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many simulated appliances in one JVM: every connection runs on one shared set of Netty event loops
 * ({@link FleetSettings#nettyThreads}), every timer (heartbeats, simulated command run times) on one scheduler thread;
 * no thread per appliance. Connections are opened a bounded number at a time, and can be dropped and restored on
 * demand (a graceful DISCONNECT keeps each session, as a gateway that goes offline). Closing the fleet disconnects each
 * appliance as a gateway's shutdown does (reason 0x04, the will kept): their link-lost wills follow after the will delay.
 */
public final class Fleet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Fleet.class);

    private final FleetSettings settings;
    private final FleetStats stats = new FleetStats();
    private final ExecutorService netty;
    private final ExecutorService application;
    private final MqttClientExecutorConfig executorConfig;
    private final ScheduledThreadPoolExecutor timers;
    private final List<SimulatedAppliance> appliances = new ArrayList<>();
    private volatile boolean running = true;
    /** Where the appliances note when they held each command; null: nowhere (the default, nothing recorded). */
    private volatile CommandTimes commandTimes;

    public Fleet(FleetSettings settings, Collection<SimIdentity> identities) {
        this.settings = settings;
        this.netty = Executors.newFixedThreadPool(settings.nettyThreads(), daemon("fleet-sim-netty"));
        this.application = Executors.newFixedThreadPool(2, daemon("fleet-sim-app"));
        this.executorConfig = MqttClientExecutorConfig.builder()
                .nettyExecutor(netty)
                .nettyThreads(settings.nettyThreads())
                .applicationScheduler(Schedulers.from(application))
                .build();
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("fleet-sim-timers"));
        this.timers.setRemoveOnCancelPolicy(true);
        List<InetAddress> sources = settings.sourceAddresses();
        int i = 0;
        for (SimIdentity identity : identities) {
            InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
            appliances.add(new SimulatedAppliance(identity, this, source, i));
            i++;
        }
    }

    public FleetSettings settings() {
        return settings;
    }

    public FleetStats stats() {
        return stats;
    }

    public int size() {
        return appliances.size();
    }

    /**
     * From now on each appliance notes, per command it answers, when it received it and when it published the result
     * (in {@code times}; null: no longer).
     */
    public void recordCommandTimes(CommandTimes times) {
        this.commandTimes = times;
    }

    CommandTimes commandTimes() {
        return commandTimes;
    }

    boolean running() {
        return running;
    }

    MqttClientExecutorConfig executorConfig() {
        return executorConfig;
    }

    void schedule(Runnable task, long delayMillis) {
        if (running) {
            timers.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "simulated appliance task failed");
                        }
                    },
                    Math.max(0, delayMillis),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Connects every appliance that is not connected or connecting, a bounded number at a time; returns when all tried. */
    public void connectAll() throws InterruptedException {
        connect(appliances.stream().filter(a -> !a.wanted()).toList());
    }

    private void connect(List<SimulatedAppliance> which) throws InterruptedException {
        Semaphore permits = new Semaphore(Math.max(1, settings.connectConcurrency()));
        for (SimulatedAppliance a : which) {
            permits.acquire();
            if (!running) {
                return;
            }
            a.connect(permits::release);
        }
        permits.acquire(Math.max(1, settings.connectConcurrency())); // the last attempts ended
    }

    /** Drops the connections of {@code fraction} (0..1] of the connected appliances; returns how many. */
    public int drop(double fraction) {
        List<SimulatedAppliance> connected =
                appliances.stream().filter(SimulatedAppliance::wanted).toList();
        int n = (int) Math.ceil(connected.size() * Math.min(1, Math.max(0, fraction)));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            done.add(connected.get(i).drop());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
        return n;
    }

    /** Connects again every dropped appliance; returns how many. */
    public int restore() throws InterruptedException {
        List<SimulatedAppliance> dropped =
                appliances.stream().filter(a -> !a.wanted()).toList();
        connect(dropped);
        return dropped.size();
    }

    /**
     * Stops every timer (no more heartbeats or command results) and waits up to {@code timeoutMillis} until each report
     * published so far was answered by the broker (or failed), so that the counts are final.
     */
    public void stopReporting(long timeoutMillis) throws InterruptedException {
        running = false;
        timers.shutdownNow();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline
                && stats.reportsPublished.sum()
                        > stats.reportsAcked.sum()
                                + stats.reportsFailed.sum()
                                + stats.reportsNoSubscriber.sum()
                                + stats.reportsRefused.sum()) {
            Thread.sleep(100);
        }
    }

    /** Whether every appliance is connected and subscribed. */
    public boolean allConnected() {
        return stats.connected.get() == appliances.size();
    }

    /** Waits until {@code count} appliances are connected, up to {@code timeoutMillis}; returns whether they are. */
    public boolean awaitConnected(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (stats.connected.get() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        return stats.connected.get() >= count;
    }

    public List<String> uids() {
        return appliances.stream().map(SimulatedAppliance::uid).toList();
    }

    @Override
    public void close() {
        running = false;
        timers.shutdownNow();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (SimulatedAppliance a : appliances) {
            done.add(a.stop()); // as gateways shutting down: their wills follow after the will delay
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
        application.shutdownNow();
        netty.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
