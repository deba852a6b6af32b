package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.IdentityKeeper;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeDrivers;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
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

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "gateway.properties written by the installer")
    Path configFile;

    @Override
    public Integer call() throws IOException, InterruptedException, NodeDriverException {
        GatewayConfig config = GatewayConfig.load(configFile);
        Path home = config.stateDir().getParent();
        Path trustStore = home.resolve("truststore.p12");
        if (Files.isReadable(
                trustStore)) { // the installer's custom CA, for TLS connections that use the JDK's defaults
            System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "edgefleet");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
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
                GatewayConfig.zipkinEndpoint(configFile));
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
                        NodeDrivers.forConfig(config, identity.tenant()),
                        identities)
                .start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        stopped.await();
        return 0;
    }
}
