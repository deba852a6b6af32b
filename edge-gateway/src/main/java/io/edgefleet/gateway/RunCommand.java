package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.IdentityKeeper;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.install.InstallerChecks;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.gateway.metrics.MetricsEndpoint;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeDrivers;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code edge-gateway run --config FILE}: runs the gateway in the foreground until it is stopped. It first makes sure
 * the appliance has an identity (enrolling, and retrying, while it has none): its nodes are labelled with the tenant
 * the certificate names.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        version = EdgeGateway.VERSION,
        description = "Run the gateway in the foreground until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(RunCommand.class);

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "gateway.properties written by the installer")
    Path configFile;

    @Override
    public Integer call() throws IOException, InterruptedException, NodeDriverException {
        GatewayConfig config = GatewayConfig.load(configFile);
        InetSocketAddress metricsAddress = config.metricsListen() == null
                ? null
                : InstallerChecks.metricsAddress(config.metricsListen(), "metrics.listen in " + configFile);
        Path home = config.stateDir().getParent();
        Path trustStore = home.resolve("truststore.p12");
        if (Files.isReadable(
                trustStore)) { // the installer's custom CA, for TLS connections that use the JDK's defaults
            System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "edgefleet");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }
        Duration willDelay = GatewayConfig.willDelay(configFile);
        if (willDelay != null) { // the link reads it as a system property (as the fleet simulator, which has no file)
            System.setProperty(MqttLink.WILL_DELAY_PROPERTY, Long.toString(willDelay.toSeconds()));
        }
        ProxySettings proxy = new ProxySettings(config.httpProxy(), config.httpsProxy(), config.noProxy());
        GatewaySettings settings = new GatewaySettings(
                config.deviceId(),
                new IdentitySource.Enrol(URI.create(config.edgeUrl()), config.registrationTokenFile()),
                config.caFile(),
                config.ip(),
                config.virtual(),
                config.mode(),
                config.podCidr(),
                config.serviceCidr(),
                proxy,
                config.caFile() == null ? null : Files.readString(config.caFile()),
                Duration.ofSeconds(config.heartbeatSeconds()),
                Duration.ofSeconds(10),
                config.stateDir(),
                GatewayConfig.zipkinEndpoint(configFile),
                GatewayConfig.maxConcurrentCommands(configFile));
        CountDownLatch stopped = new CountDownLatch(1);
        IdentityKeeper identities = new IdentityKeeper(
                settings.uid(),
                settings.identity(),
                settings.stateDir(),
                TlsMaterial.trustManagers(settings.trustedCaFile()),
                ProxyRoutes.of(proxy));
        Thread waiting = Thread.currentThread();
        Thread hook = new Thread(
                () -> {
                    identities.close(); // ends an enrolment that is still being retried
                    waiting.interrupt();
                },
                "gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        DeviceIdentity identity = identities.obtain();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            return 0;
        }
        EdgeGateway gateway = new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        NodeDrivers.forConfig(
                                config,
                                identity.tenant(),
                                GatewayConfig.libvirtDomainType(configFile),
                                GatewayConfig.sshKnownHosts(configFile),
                                GatewayConfig.dockerReadyCheck(configFile)),
                        identities)
                .start();
        MetricsEndpoint metrics = serveMetrics(metricsAddress, gateway);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (metrics != null) {
                                metrics.close();
                            }
                            gateway.close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        stopped.await();
        return 0;
    }

    /** Metrics are not worth the appliance's link: if the address cannot be had, the gateway runs without them. */
    private static MetricsEndpoint serveMetrics(InetSocketAddress address, EdgeGateway gateway) {
        if (address == null) {
            return null;
        }
        try {
            return MetricsEndpoint.serve(address, gateway.metrics().withProcessMetrics());
        } catch (IOException e) {
            LOG.errorf(
                    "metrics are not served: cannot listen on %s (%s); set metrics.listen in the configuration",
                    address, e.getMessage());
            return null;
        }
    }
}
