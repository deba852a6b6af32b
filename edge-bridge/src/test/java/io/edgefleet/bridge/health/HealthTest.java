package io.edgefleet.bridge.health;

import io.edgefleet.bridge.support.TestInfrastructure;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestInfrastructure
class HealthTest {

    @TestHTTPResource("/q/health")
    URI health;

    @Test
    void readyWithMqttAndKafkaLiveWithItsRelays() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/ready").statusCode() == 200);
        String ready = get("/ready").body();
        assertTrue(
                ready.contains("\"mqtt\"") && ready.contains("\"kafka\"") && ready.contains("\"reportsInFlight\""),
                ready);

        HttpResponse<String> live = get("/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(
                live.body().contains("\"relays\"")
                        && live.body().contains("\"accessSync\": true")
                        && live.body().contains("\"crl\": \"CRL #"),
                live.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(health + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
