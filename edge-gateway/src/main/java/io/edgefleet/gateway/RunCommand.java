package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.credentials.ClientCredentialsTokenSource;
import io.edgefleet.gateway.credentials.FileTokenSource;
import io.edgefleet.gateway.credentials.TokenSource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeDrivers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code edge-gateway run --config FILE}: runs the gateway in the foreground until it is stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground until stopped.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "gateway.properties written by the installer")
    Path configFile;

    @Override
    public Integer call() throws IOException, InterruptedException, io.edgefleet.gateway.nodes.NodeDriverException {
        GatewayConfig config = GatewayConfig.load(configFile);
        Path home = config.stateDir().getParent();
        Path trustStore = home.resolve("truststore.p12");
        if (Files.isReadable(trustStore)) { // the installer's custom CA, for the gateway's own TLS connections
            System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "edgefleet");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }
        GatewaySettings settings = new GatewaySettings(config.deviceId(), config.tenant(), config.apiUrl(), config.ip(),
                config.virtual(), config.mode(), config.podCidr(), config.serviceCidr(),
                new ProxySettings(config.httpProxy(), config.httpsProxy(), config.noProxy()),
                config.caFile() == null ? null : Files.readString(config.caFile()),
                Duration.ofSeconds(config.heartbeatSeconds()), Duration.ofSeconds(10), config.stateDir());
        CountDownLatch stopped = new CountDownLatch(1);
        EdgeGateway gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), tokens(config),
                NodeDrivers.forConfig(config)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
        return 0;
    }

    private static TokenSource tokens(GatewayConfig config) throws IOException {
        if (config.tokenFile() != null) {
            return new FileTokenSource(config.tokenFile());
        }
        return new ClientCredentialsTokenSource(URI.create(config.tokenUrl()), config.clientId(),
                Files.readString(config.clientSecretFile()).trim());
    }
}
