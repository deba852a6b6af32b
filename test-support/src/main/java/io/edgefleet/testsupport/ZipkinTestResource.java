package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real Zipkin server ({@link ZipkinServer}) for the module's tests: the application under test exports its spans to
 * it ({@code edgefleet.tracing.zipkin-endpoint}), and so do the edge bridge of {@link EdgeLinkTestResource} (declared
 * after this one) and gateways given {@link #spansEndpoint()}. Tests read traces through {@link #server()}.
 */
public class ZipkinTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ZipkinServer server;

    /** Before the edge link: its bridge exports here too. */
    @Override
    public int order() {
        return 5;
    }

    @Override
    public Map<String, String> start() {
        server = ZipkinServer.start();
        return Map.of("edgefleet.tracing.zipkin-endpoint", server.spansEndpoint());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public static ZipkinServer server() {
        if (server == null) {
            throw new IllegalStateException("ZipkinTestResource is not started");
        }
        return server;
    }

    /** Where spans go, or null when no Zipkin runs in this test JVM. */
    public static String spansEndpoint() {
        ZipkinServer running = server;
        return running == null ? null : running.spansEndpoint();
    }
}
