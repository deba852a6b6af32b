package io.edgefleet.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fuzzer finds what it is for, on a deliberately broken little API (the JDK's HTTP server). */
class ApiFuzzerTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "paths": {
              "/things": {"get": {"operationId": "listThings", "responses": {"200": {"description": "a page"}}},
                "post": {"operationId": "createThing",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"201": {"description": "created"}}}},
              "/things/{id}": {"get": {"operationId": "getThing",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the thing"}}}}},
             "components": {"schemas": {"Thing": {"type": "object",
               "properties": {"name": {"type": "string"}, "size": {"type": "integer", "minimum": 1}}}}}}""";

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void reportsServerErrorsRefusalsWithoutProblemsAndChangedState() throws Exception {
        AtomicInteger things = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/things", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("GET")) {
                answer(exchange, 200, "application/json", """
                        {"total": %d}""".formatted(things.get()));
            } else if (body.contains("null")) {
                answer(exchange, 500, "text/plain", "NullPointerException");
            } else if (!body.contains("\"size\":1")) {
                things.incrementAndGet(); // refuses, but keeps it anyway
                answer(exchange, 400, "application/problem+json", """
                        {"status": 400}""");
            } else {
                answer(exchange, 400, "text/plain", "no");
            }
        });
        server.start();
        ApiFuzzer fuzzer = new ApiFuzzer(
                DOCUMENT, URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "token", 5);

        List<ApiFuzzer.Finding> findings = fuzzer.run(120);

        assertTrue(findings.stream().anyMatch(f -> f.status() == 500), findings::toString);
        assertTrue(
                findings.stream().anyMatch(f -> f.why().startsWith("refused without a problem")), findings::toString);
        assertTrue(
                findings.stream().anyMatch(f -> f.why().equals("refused, yet the state changed")), findings::toString);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
