package io.edgefleet.gateway.metrics;

import io.edgefleet.events.payload.CommandResult;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's metrics endpoint: Prometheus text on GET /metrics, nothing else; a failing gauge never fails it. */
public class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheGatewaysMetricsAndNothingElse() throws Exception {
        Instant notAfter = Instant.parse("2027-01-01T00:00:00Z");
        try (GatewayMetrics metrics = new GatewayMetrics("9.9.9", "offline");
                MetricsEndpoint endpoint = MetricsEndpoint.serve(new InetSocketAddress("127.0.0.1", 0), metrics)) {
            metrics.watch(
                    () -> true,
                    () -> new GatewayMetrics.Backlog(
                            3, Optional.of(Instant.now().minusSeconds(90))),
                    () -> {
                        throw new IllegalStateException("the local store is closed");
                    },
                    () -> Optional.of(notAfter));
            metrics.commandDone(
                    "create-node",
                    CommandResult.Outcome.SUCCEEDED,
                    Duration.ofMillis(1500).toNanos());
            metrics.commandDone(
                    "create-node",
                    CommandResult.Outcome.FAILED,
                    Duration.ofMillis(20).toNanos());
            metrics.reportSent("edgefleet.gateway.heartbeat");
            metrics.reportNotSent("refused");
            String base = "http://127.0.0.1:" + endpoint.address().getPort();
            System.gc(); // gauges must survive it: Micrometer holds a gauge's object weakly unless told otherwise

            HttpResponse<String> scrape = get(base + "/metrics", "GET");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = scrape.body();
            assertEquals(1.0, sample(text, "edgefleet_gateway_info{mode=\"offline\",version=\"9.9.9\"}"));
            assertEquals(1.0, sample(text, "edgefleet_gateway_link_ready"));
            assertEquals(3.0, sample(text, "edgefleet_gateway_reports_pending"));
            assertTrue(Double.isNaN(sample(text, "edgefleet_gateway_commands_unfinished")), "a failed read is NaN");
            assertEquals(
                    notAfter.getEpochSecond(), (long) sample(text, "edgefleet_gateway_certificate_not_after_seconds"));
            assertEquals(
                    1.0,
                    sample(
                            text,
                            "edgefleet_gateway_commands_seconds_count{outcome=\"SUCCEEDED\",type=\"create-node\"}"));
            assertEquals(
                    1.5,
                    sample(text, "edgefleet_gateway_commands_seconds_sum{outcome=\"SUCCEEDED\",type=\"create-node\"}"));
            assertEquals(
                    1.0,
                    sample(text, "edgefleet_gateway_commands_seconds_count{outcome=\"FAILED\",type=\"create-node\"}"));
            assertEquals(
                    1.0, sample(text, "edgefleet_gateway_reports_sent_total{type=\"edgefleet.gateway.heartbeat\"}"));
            assertEquals(1.0, sample(text, "edgefleet_gateway_reports_not_sent_total{reason=\"refused\"}"));
            double age = sample(text, "edgefleet_gateway_reports_oldest_pending_seconds");
            assertTrue(age >= 89 && age < 120, "oldest report's age " + age);
            assertTrue(text.contains("edgefleet_gateway_commands_seconds_bucket{"), "a histogram, for quantiles");
            assertTrue(!text.contains("jvm_memory_used_bytes"), "JVM metrics only for the installed gateway's own JVM");

            assertEquals(404, get(base + "/", "GET").statusCode());
            assertEquals(404, get(base + "/metrics/../config", "GET").statusCode());
            HttpResponse<String> post = get(base + "/metrics", "POST");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
            HttpResponse<String> head = get(base + "/metrics", "HEAD");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());

            metrics.withProcessMetrics();
            assertTrue(get(base + "/metrics", "GET").body().contains("jvm_memory_used_bytes"));
        }
    }

    /** The value of one series (labels in Prometheus' order, without the simpleclient's trailing comma). */
    public static double sample(String text, String series) {
        return text.lines()
                .map(l -> l.replace(",}", "}"))
                .filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in\n" + text));
    }

    private HttpResponse<String> get(String url, String method) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
