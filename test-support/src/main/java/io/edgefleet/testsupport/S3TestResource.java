package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A real S3 API server ({@link S3Server}) for the module's tests; tests reach it through {@link #server()}. */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile S3Server server;

    @Override
    public Map<String, String> start() {
        server = S3Server.start();
        return Map.of("edgefleet.test.s3.endpoint", server.endpoint());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public static S3Server server() {
        if (server == null) {
            throw new IllegalStateException("S3TestResource is not started");
        }
        return server;
    }
}
