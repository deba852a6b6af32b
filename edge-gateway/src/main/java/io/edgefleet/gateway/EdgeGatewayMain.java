package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.credentials.ClientCredentialsTokenSource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/** Command line of the edge gateway. */
@Command(name = "edge-gateway", mixinStandardHelpOptions = true, version = EdgeGateway.VERSION,
        subcommands = {EdgeGatewayMain.Run.class},
        description = "EdgeFleet edge gateway: registers this appliance with the management plane and reports on it.")
public final class EdgeGatewayMain {

    private static final Pattern UID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        System.exit(new CommandLine(new EdgeGatewayMain()).execute(args));
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground until stopped.")
    static final class Run implements Callable<Integer> {

        @Option(names = {"-d", "--deviceid"}, description = "Appliance uid to report as (default: /etc/machine-id).")
        String deviceId;
        @Option(names = {"-a", "--apiurl"}, required = true, description = "Management plane Kafka brokers, host:port[,host:port].")
        String apiUrl;
        @Option(names = "--tenant", required = true, description = "Tenant of this gateway's credential.")
        String tenant;
        @Option(names = "--token-url", required = true, description = "OIDC token endpoint for the gateway credential.")
        URI tokenUrl;
        @Option(names = "--client-id", required = true, description = "Gateway client id (one per tenant).")
        String clientId;
        @Option(names = "--client-secret-file", required = true, description = "File holding the gateway client secret.")
        Path clientSecretFile;
        @Option(names = {"-i", "--ip"}, description = "IP address of this machine (default: first non-loopback IPv4).")
        String ip;
        @Option(names = {"-v", "--isvirtual"}, arity = "1", description = "true: bare metal with libvirt (virtualized clusters).")
        boolean virtual;
        @Option(names = {"-m", "--mode"}, defaultValue = "online", description = "online or offline.")
        String mode;
        @Option(names = "--pod-cidr", description = "Pod CIDR range.")
        String podCidr;
        @Option(names = "--service-cidr", description = "Service CIDR range.")
        String serviceCidr;
        @Option(names = "--http-proxy", description = "Proxy for HTTP connections.")
        String httpProxy;
        @Option(names = "--https-proxy", description = "Proxy for HTTPS connections.")
        String httpsProxy;
        @Option(names = "--no-proxy", split = ",", description = "Comma separated list of hosts not to proxy.")
        List<String> noProxy;
        @Option(names = "--heartbeat-interval", defaultValue = "30", description = "Seconds between heartbeats (default 30).")
        int heartbeatSeconds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            InventoryProbe probe = InventoryProbe.ofThisMachine();
            String uid = deviceId != null ? deviceId : probe.machineId();
            if (!UID.matcher(uid).matches()) {
                System.err.println("error: device id '" + uid + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
                return 2;
            }
            if (heartbeatSeconds < 1 || heartbeatSeconds > 3600) {
                System.err.println("error: --heartbeat-interval must be 1 to 3600 seconds");
                return 2;
            }
            String secret = Files.readString(clientSecretFile).trim();
            GatewaySettings settings = new GatewaySettings(uid, tenant, apiUrl, ip, virtual, mode, podCidr, serviceCidr,
                    new ProxySettings(httpProxy, httpsProxy, noProxy == null ? List.of() : noProxy),
                    Duration.ofSeconds(heartbeatSeconds), Duration.ofSeconds(10));
            CountDownLatch stopped = new CountDownLatch(1);
            EdgeGateway gateway = new EdgeGateway(settings, probe, new ClientCredentialsTokenSource(tokenUrl, clientId, secret)).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "gateway-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
