package io.edgefleet.fleetsim;

import io.edgefleet.events.EventJson;
import io.edgefleet.gateway.identity.TlsMaterial;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar fleet-sim.jar register|run ...}: the fleet simulator's command line, used by deploy/bench. Figures go
 * to standard output as lines starting with {@code [fleet]}; a JSON summary to {@code --summary-file}.
 */
@Command(
        name = "fleet-sim",
        mixinStandardHelpOptions = true,
        subcommands = {FleetSimMain.Register.class, FleetSimMain.Run.class},
        description = "Simulated edge appliances for scale benchmarks (issue 14).")
public final class FleetSimMain implements Runnable {

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        // edge-gateway's TlsMaterial hands the device key to the TLS stack in an in-memory PKCS#12 store; the JDK
        // protects
        // each key entry there with 10,000 PBKDF2 rounds, paid when it is stored and at every TLS handshake (~60 ms of
        // CPU per connection on a busy 2-core machine): pointless in memory, and the cost of many connections
        if (System.getProperty("keystore.pkcs12.keyPbeIterationCount") == null) {
            System.setProperty("keystore.pkcs12.keyPbeIterationCount", "1");
        }
        System.exit(new CommandLine(new FleetSimMain())
                .registerConverter(Duration.class, FleetSimMain::duration)
                .execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code 500ms}, {@code 60s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT1M}). */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** {@code <prefix>-000001} ...: the simulated appliances' uids. */
    public static List<String> uids(String prefix, int first, int count) {
        List<String> uids = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            uids.add(String.format("%s-%06d", prefix, i));
        }
        return uids;
    }

    static void print(String format, Object... args) {
        System.out.printf("[fleet] " + format + "%n", args);
        System.out.flush();
    }

    @Command(name = "register", description = "Registers the appliances over REST and prints requests/s and latency.")
    static final class Register implements Callable<Integer> {
        @Option(names = "--api", required = true, description = "appliance-service, e.g. http://localhost:18081")
        URI api;

        @Option(
                names = "--bearer-file",
                required = true,
                description = "a tenant-admin access token; read again at each request (keep it fresh)")
        Path bearerFile;

        private String bearer() {
            try {
                return Files.readString(bearerFile).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Option(names = "--prefix", defaultValue = "sim")
        String prefix;

        @Option(names = "--count", required = true)
        int count;

        @Option(names = "--first", defaultValue = "1")
        int first;

        @Option(names = "--concurrency", defaultValue = "16")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            Registrar.Outcome o = new Registrar(api, this::bearer, concurrency)
                    .register(uids(prefix, first, count), Map.of("fleet", "simulated"));
            print(
                    "REST register: %d requests in %.1f s = %.0f requests/s, concurrency %d, latency p50 %d ms p99 %d ms"
                            + " max %d ms, statuses %s, errors %d",
                    o.requests(),
                    o.millis() / 1000.0,
                    o.perSecond(),
                    concurrency,
                    o.latency().percentile(0.5),
                    o.latency().percentile(0.99),
                    o.latency().percentile(1.0),
                    o.statuses(),
                    o.errors());
            boolean ok = o.errors() == 0 && o.statuses().keySet().stream().allMatch(s -> s == 201 || s == 409);
            return ok ? 0 : 1;
        }
    }

    @Command(
            name = "run",
            description =
                    "Enrols (or takes from the cache) the appliances, connects them and heartbeats for --duration.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--enrol-url", required = true, description = "appliance-service's HTTPS edge endpoint")
        URI enrolUrl;

        @Option(names = "--ca-file", required = true, description = "the platform CA (enrolment endpoint, broker)")
        Path caFile;

        @Option(names = "--tokens-file", required = true, description = "registration tokens, one a line")
        Path tokensFile;

        @Option(names = "--work-dir", required = true, description = "holds identities.tsv (enrolled identities)")
        Path workDir;

        @Option(names = "--prefix", defaultValue = "sim")
        String prefix;

        @Option(names = "--count", required = true)
        int count;

        @Option(names = "--first", defaultValue = "1")
        int first;

        @Option(names = "--mqtt-url", description = "the broker, instead of the one enrolment names")
        String mqttUrl;

        @Option(names = "--heartbeat", defaultValue = "60s")
        Duration heartbeat;

        @Option(names = "--jitter", defaultValue = "5s")
        Duration jitter;

        @Option(names = "--duration", defaultValue = "10m", description = "of the heartbeat phase, after all connected")
        Duration duration;

        @Option(names = "--command-delay", defaultValue = "1s")
        Duration commandDelay;

        @Option(names = "--enrol-concurrency", defaultValue = "4")
        int enrolConcurrency;

        @Option(names = "--connect-concurrency", defaultValue = "64")
        int connectConcurrency;

        @Option(names = "--sources", defaultValue = "4", description = "local addresses 127.0.0.1 .. 127.0.0.N")
        int sources;

        @Option(names = "--netty-threads", defaultValue = "2")
        int nettyThreads;

        @Option(
                names = "--connect-timeout",
                defaultValue = "10m",
                description = "how long to wait for all to connect before the heartbeat phase starts anyway")
        Duration connectTimeout;

        @Option(names = "--stats-every", defaultValue = "10s")
        Duration statsEvery;

        @Option(names = "--summary-file")
        Path summaryFile;

        @Option(
                names = "--control-stdin",
                description = "read 'drop FRACTION', 'restore', 'stats' lines from standard input")
        boolean controlStdin;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> summary = new LinkedHashMap<>();
            var trust = TlsMaterial.trustManagers(caFile);
            List<String> uids = uids(prefix, first, count);
            Map<String, SimIdentity> identities;
            try (IdentityCache cache = new IdentityCache(workDir.resolve("identities.tsv"))) {
                identities = cache.load();
                int cached = (int) uids.stream().filter(identities::containsKey).count();
                List<String> tokens = Files.readAllLines(tokensFile).stream()
                        .map(String::strip)
                        .filter(t -> !t.isEmpty())
                        .toList();
                Enroller.Outcome e =
                        new Enroller(enrolUrl, trust, tokens, enrolConcurrency, cache).enrolMissing(uids, identities);
                print(
                        "enrolment: %d cached, %d enrolled in %.1f s (%.1f/s, concurrency %d, p50 %d ms p99 %d ms), %d"
                                + " failed",
                        cached,
                        e.enrolled(),
                        e.millis() / 1000.0,
                        e.perSecond(),
                        enrolConcurrency,
                        e.latency().percentile(0.5),
                        e.latency().percentile(0.99),
                        e.failed());
                summary.put("enrolCached", cached);
                summary.put("enrolled", e.enrolled());
                summary.put("enrolFailed", e.failed());
                summary.put("enrolPerSecond", Math.round(e.perSecond() * 10) / 10.0);
                summary.put("enrolP99Ms", e.latency().percentile(0.99));
                if (e.failed() > 0) {
                    print("enrolment failed for %d appliances: see the log above", e.failed());
                }
            }
            List<SimIdentity> fleetIdentities = uids.stream()
                    .map(identities::get)
                    .filter(java.util.Objects::nonNull)
                    .toList();
            List<InetAddress> sourceAddresses = new ArrayList<>();
            for (int i = 1; i <= sources; i++) {
                sourceAddresses.add(loopback(i));
            }
            FleetSettings settings = new FleetSettings(
                    trust, mqttUrl, heartbeat, jitter, commandDelay, connectConcurrency, sourceAddresses, nettyThreads);
            try (Fleet fleet = new Fleet(settings, fleetIdentities)) {
                long t0 = System.nanoTime();
                Thread reporter = statsThread(fleet, t0);
                fleet.connectAll();
                boolean all = fleet.awaitConnected(fleet.size(), connectTimeout.toMillis());
                double connectSeconds = (System.nanoTime() - t0) / 1e9;
                print(
                        "connect: %d of %d connected in %.1f s (concurrency %d, %d source addresses, %d netty threads)",
                        fleet.stats().connected.get(),
                        fleet.size(),
                        connectSeconds,
                        connectConcurrency,
                        sources,
                        nettyThreads);
                summary.put("appliances", fleet.size());
                summary.put("allConnected", all);
                summary.put("connectSeconds", Math.round(connectSeconds * 10) / 10.0);
                if (controlStdin) {
                    controlThread(fleet);
                }
                long acked0 = fleet.stats().reportsAcked.sum();
                long cpu0 = processCpuNanos();
                long phaseStart = System.nanoTime();
                Thread.sleep(duration.toMillis());
                double phaseSeconds = (System.nanoTime() - phaseStart) / 1e9;
                long acked = fleet.stats().reportsAcked.sum() - acked0;
                summary.put(
                        "simCpuPercentInPhase",
                        Math.round((processCpuNanos() - cpu0) / 1e9 / phaseSeconds * 1000) / 10.0);
                reporter.interrupt();
                // no new reports from here on; the summary counts each report the fleet published once it was answered
                fleet.stopReporting(10_000);
                summary.put("heartbeatPhaseSeconds", Math.round(phaseSeconds));
                summary.put("reportsAckedInPhase", acked);
                summary.put("reportsPerSecondInPhase", Math.round(acked / phaseSeconds * 10) / 10.0);
                summary.put("connectedAtEnd", fleet.stats().connected.get());
                summary.putAll(fleet.stats().snapshot());
                print("summary: %s", new String(EventJson.write(summary), StandardCharsets.UTF_8));
                if (summaryFile != null) {
                    Files.write(summaryFile, EventJson.write(summary));
                }
            }
            return 0;
        }

        /** This JVM's CPU time (all threads), or 0 when the JVM cannot tell. */
        private static long processCpuNanos() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime()
                    : 0;
        }

        private static InetAddress loopback(int i) throws UnknownHostException {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) (i & 0xff)});
        }

        private Thread statsThread(Fleet fleet, long t0) {
            Thread t = new Thread(
                    () -> {
                        long lastAcked = 0;
                        long last = System.nanoTime();
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                Thread.sleep(statsEvery.toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                            FleetStats s = fleet.stats();
                            long now = System.nanoTime();
                            long acked = s.reportsAcked.sum();
                            print(
                                    "t=%ds connected=%d reports acked=%d (%.1f/s) failed=%d no-subscriber=%d refused=%d"
                                            + " offline=%d lost-connections=%d puback p50=%dms p99=%dms commands=%d"
                                            + " results=%d",
                                    (now - t0) / 1_000_000_000L,
                                    s.connected.get(),
                                    acked,
                                    (acked - lastAcked) / ((now - last) / 1e9),
                                    s.reportsFailed.sum(),
                                    s.reportsNoSubscriber.sum(),
                                    s.reportsRefused.sum(),
                                    s.heartbeatsWhileOffline.sum(),
                                    s.connectionsLost.sum(),
                                    s.pubAck.percentile(0.5),
                                    s.pubAck.percentile(0.99),
                                    s.commandsReceived.sum(),
                                    s.resultsAcked.sum());
                            lastAcked = acked;
                            last = now;
                        }
                    },
                    "fleet-sim-stats");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private static void controlThread(Fleet fleet) {
            Thread t = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                String[] words = line.trim().split("\\s+");
                                switch (words[0]) {
                                    case "drop" -> {
                                        double fraction = words.length > 1 ? Double.parseDouble(words[1]) : 1.0;
                                        print("dropped %d connections", fleet.drop(fraction));
                                    }
                                    case "restore" -> print("restoring %d connections", fleet.restore());
                                    case "stats" ->
                                        print("stats: %s", fleet.stats().snapshot());
                                    default -> {
                                        if (!words[0].isEmpty()) {
                                            print("unknown control '%s' (drop FRACTION | restore | stats)", line);
                                        }
                                    }
                                }
                            }
                        } catch (Exception e) {
                            print("control input ended: %s", e);
                        }
                    },
                    "fleet-sim-control");
            t.setDaemon(true);
            t.start();
        }
    }
}
