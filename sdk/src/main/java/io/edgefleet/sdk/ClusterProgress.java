package io.edgefleet.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.sdk.client.ApiClient;
import io.edgefleet.sdk.client.ApiException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A cluster's progress as Server-Sent Events ({@code GET /v1/clusters/{id}/events}), which a generated client
 * cannot read: every task change ({@code task}, with its change number as id) and every status change
 * ({@code cluster}), first the history and then live. {@link #follow} hands each event to the caller until it has
 * seen enough, the stream ends (the cluster is deleted) or the time is up.
 */
public final class ClusterProgress {

    /** One event: its name ({@code task} or {@code cluster}), id (a task's change number) and JSON data. */
    public record Event(String name, String id, JsonNode data, ObjectMapper mapper) {

        public boolean isTask() {
            return "task".equals(name);
        }

        public boolean isStatus() {
            return "cluster".equals(name);
        }

        /** The data as a model of the SDK: {@code as(TaskView.class)} for a task, a status field for a cluster event. */
        public <T> T as(Class<T> type) {
            try {
                return mapper.treeToValue(data, type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("event " + name + " is not a " + type.getSimpleName(), e);
            }
        }

        /** The cluster's status after a {@code cluster} event (null for a task). */
        public String status() {
            return isStatus() ? data.path("status").asText(null) : null;
        }
    }

    private final ApiClient client;

    ClusterProgress(ApiClient client) {
        this.client = client;
    }

    /**
     * Reads the cluster's events, after change {@code afterChangeNo} (0 for all), handing each to {@code handler}
     * until it answers false, the stream ends or {@code timeout} passes. Returns true when the handler stopped it.
     */
    public boolean follow(String clusterId, long afterChangeNo, Duration timeout, Predicate<Event> handler)
            throws ApiException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .uri(URI.create(client.getBaseUri() + "/v1/clusters/"
                        + URLEncoder.encode(clusterId, StandardCharsets.UTF_8).replace("+", "%20") + "/events"))
                .header("Accept", "text/event-stream")
                .GET();
        if (afterChangeNo > 0) {
            request.header("Last-Event-ID", Long.toString(afterChangeNo));
        }
        if (client.getRequestInterceptor() != null) {
            client.getRequestInterceptor().accept(request);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(e);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw new ApiException(
                    response.statusCode(),
                    "GET " + response.uri() + " answered " + response.statusCode(),
                    response.headers(),
                    body);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-progress-timeout");
            t.setDaemon(true);
            return t;
        });
        InputStream body = response.body();
        // the stream stays open while the cluster lives: closing it is how the time limit ends a blocked read
        timer.schedule(() -> closeQuietly(body), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            return read(lines, handler);
        } catch (IOException e) {
            return false; // closed by the timer, or the connection ended
        } finally {
            timer.shutdownNow();
        }
    }

    private boolean read(BufferedReader lines, Predicate<Event> handler) throws IOException {
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data.length() > 0
                        && !handler.test(new Event(
                                name,
                                id,
                                client.getObjectMapper().readTree(data.toString()),
                                client.getObjectMapper()))) {
                    return true;
                }
                name = "message";
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
        return false;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
