package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * For benchmarks (never for timed tests): one GET repeated a number of rounds, and the p50 and p99 of its wall time.
 *
 * <p>The JDK's HTTP client, not RestAssured: Quarkus' tests switch on RestAssured's "log if validation fails", which
 * pretty-prints every answer's JSON in the test JVM before it is checked — for a 66 KB page that costs more than the
 * service's whole answer and was measured as the service's time. A third as many rounds again run first, unmeasured,
 * so the figures are of warmed-up code (the JIT) rather than of the first calls.
 */
public final class LatencyRounds {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private LatencyRounds() {}

    /** The figures of one series of rounds; {@code lastBody} is the last answer, for the caller to read once. */
    public record Result(double p50Millis, double p99Millis, String lastBody) {}

    /** GETs {@code uri} with the bearer token {@code rounds} times; every answer must be 200. */
    public static Result get(URI uri, String bearerToken, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + bearerToken)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60))
                .build();
        for (int i = 0; i < Math.max(1, rounds / 3); i++) {
            send(request);
        }
        List<Long> micros = new ArrayList<>(rounds);
        String body = "";
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            body = send(request);
            micros.add((System.nanoTime() - start) / 1_000);
        }
        micros.sort(null);
        return new Result(
                micros.get(micros.size() / 2) / 1000.0,
                micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0,
                body);
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(
                        request.uri() + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
