package io.edgefleet.fleetsim;

import io.edgefleet.events.EventJson;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The REST benchmark: registers appliances with {@code POST /v1/appliances} (tenant-admin bearer token), a bounded
 * number of requests in flight, and measures requests per second and latency. An appliance that is already registered
 * (409, a rerun) counts as such, not as an error. The token is asked for at each request: a run of thousands
 * outlives an access token, and the caller keeps a fresh one at hand (the benchmark script re-writes the file).
 */
public final class Registrar {

    /** What a registration run did. */
    public record Outcome(Map<Integer, Long> statuses, long errors, long millis, Histogram latency, long requests) {
        public double perSecond() {
            return millis == 0 ? 0 : requests * 1000.0 / millis;
        }
    }

    private final URI api;
    private final Supplier<String> bearer;
    private final int concurrency;
    private final HttpClient http;

    public Registrar(URI api, Supplier<String> bearer, int concurrency) {
        this.api = api;
        this.bearer = bearer;
        this.concurrency = Math.max(1, concurrency);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public Outcome register(List<String> uids, Map<String, String> tags) throws InterruptedException {
        Histogram latency = new Histogram();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        Semaphore permits = new Semaphore(concurrency);
        AtomicLong requests = new AtomicLong();
        URI uri = URI.create(api.toString().replaceAll("/+$", "") + "/v1/appliances");
        long started = System.nanoTime();
        for (String uid : uids) {
            permits.acquire();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("uid", uid);
            body.put("tags", tags);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + bearer.get())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.write(body)))
                    .build();
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<Void>> sent =
                    http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            sent.whenComplete((response, error) -> {
                requests.incrementAndGet();
                if (error != null) {
                    errors.increment();
                } else {
                    latency.record((System.nanoTime() - t0) / 1_000_000);
                    statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder())
                            .increment();
                }
                permits.release();
            });
        }
        permits.acquire(concurrency);
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<Integer, Long> counted = new LinkedHashMap<>();
        statuses.forEach((status, n) -> counted.put(status, n.sum()));
        return new Outcome(counted, errors.sum(), millis, latency, requests.get());
    }
}
