package io.edgefleet.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests over the HTTP layer's limits, written byte by byte on a socket (an HTTP client would not send them):
 * each is refused with a problem naming what is too large, and nothing is registered.
 */
@QuarkusTest
@TestInfrastructure
class HttpLimitsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Test
    void bodyDeclaredAboveTheLimitIsAProblemAtAnySize() throws IOException {
        for (String size : new String[] {"65537", "1048577", "10737418240"}) {
            String answer = exchange("POST /v1/appliances HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestTokens.admin(TENANT_A) + "\r\nContent-Type: application/json\r\nContent-Length: " + size
                    + "\r\n\r\n{\"uid\":\"limits-huge\"");
            assertProblem(answer, 413, "body");
        }
        given().auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/limits-huge")
                .then()
                .statusCode(404);
    }

    @Test
    void chunkedBodyIsRefusedAsLengthRequired() throws IOException {
        String answer = exchange("POST /v1/appliances HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.admin(TENANT_A)
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "18\r\n{\"uid\":\"limits-chunked\"}\r\n0\r\n\r\n");
        assertProblem(answer, 411, "Content-Length");
        given().auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/limits-chunked")
                .then()
                .statusCode(404);
    }

    @Test
    void longRequestTargetIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 414, "uri");
    }

    @Test
    void largeHeadersAreAProblem() throws IOException {
        String answer = exchange(
                "GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(20_000) + "\r\n\r\n");
        assertProblem(answer, 431, "headers");
    }

    @Test
    void controlCharacterInAHeaderNameIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Bad\u0001Name: 1\r\n\r\n");
        assertProblem(answer, 400, "headers");
    }

    @Test
    void controlCharacterInAHeaderValueIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\n\r\n");
        assertProblem(answer, 400, "headers");
    }

    @Test
    void headerLineWithoutAColonIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n");
        assertProblem(answer, 400, "headers");
    }

    @Test
    void requestLineThatIsNotHttpIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/9.x\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 400, "request-line");
    }

    @Test
    void requestLineBeyondNettysLimitIsAProblem() throws IOException {
        // over quarkus.http.limits.max-initial-line-length (64 KiB): Netty refuses it before HttpLimits runs
        String answer = exchange("GET /v1/appliances/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 414, "uri");
    }

    @Test
    void headersBeyondNettysLimitAreAProblem() throws IOException {
        // over quarkus.http.limits.max-header-size (64 KiB): Netty refuses them before HttpLimits runs
        StringBuilder request = new StringBuilder("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 8; i++) {
            request.append("X-Padding-")
                    .append(i)
                    .append(": ")
                    .append("p".repeat(10_000))
                    .append("\r\n");
        }
        String answer = exchange(request.append("\r\n").toString());
        assertProblem(answer, 431, "headers");
    }

    @Test
    void http2BodyWithoutALengthOverTheLimitIsAProblem() throws Exception {
        HttpClient client = http2Client();
        // above the API's limit (64 KiB), and above Quarkus' own (1 MiB) which would answer a bare 413
        List<String> requestIds = new ArrayList<>();
        for (int size : new int[] {100 * 1024, 2 * 1024 * 1024}) {
            byte[] body = """
                    {"uid":"limits-h2-huge","tags":{"pad":"%s"}}""".formatted("p".repeat(size)).getBytes(StandardCharsets.UTF_8);
            String requestId = "limits-h2-" + UUID.randomUUID();
            assertH2BodyTooLarge(client, body, requestId);
            requestIds.add(requestId);
        }
        // the refusal is a write attempt like any other: in the audit log (recorded although the body was read on a
        // worker thread, where the reactive audit write cannot run)
        for (String requestId : requestIds) {
            List<Map<String, Object>> entries = given().auth()
                    .oauth2(TestTokens.admin(TENANT_A))
                    .queryParam("outcome", "REFUSED")
                    .queryParam("target", "/v1/appliances")
                    .queryParam("size", "200")
                    .get("/v1/audit")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items");
            Map<String, Object> entry = entries.stream()
                    .filter(e -> requestId.equals(e.get("requestId")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no audit entry for " + requestId + ": " + entries));
            assertEquals(413, entry.get("status"));
            assertEquals("POST", entry.get("method"));
        }
        given().auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/limits-h2-huge")
                .then()
                .statusCode(404);
    }

    private void assertH2BodyTooLarge(HttpClient client, byte[] body, String requestId) throws Exception {
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(base.toURI().resolve("/v1/appliances"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestTokens.admin(TENANT_A))
                        .header("Content-Type", "application/json")
                        .header("X-Request-Id", requestId)
                        // a stream of unknown length: HTTP/2 sends it without Content-Length
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, answer.version());
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(
                "application/problem+json",
                answer.headers().firstValue("Content-Type").orElse(""),
                answer.body());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(413, problem.path("status").asInt(), answer.body());
        assertEquals("body", problem.path("field").asText(), answer.body());
    }

    @Test
    void http2BodyDeclaredAboveTheLimitIsAProblemAndTheStreamIsDrained() throws Exception {
        HttpClient client = http2Client();
        // refused on its content-length before a byte is read; the client still sends all of it, and gets the answer
        byte[] body = """
                {"uid":"limits-h2-declared","tags":{"pad":"%s"}}""".formatted("p".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(base.toURI().resolve("/v1/appliances"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestTokens.admin(TENANT_A))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, answer.version());
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals("body", JSON.readTree(answer.body()).path("field").asText(), answer.body());
        assertTrue(answer.body().contains("is " + body.length + " bytes"), answer.body());
        // the connection still serves the next stream
        assertEquals(
                200,
                client.send(
                                HttpRequest.newBuilder(base.toURI().resolve("/q/health/live"))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    @Test
    void http2BodyWithoutALengthWithinTheLimitIsRead() throws Exception {
        HttpClient client = http2Client();
        byte[] body = """
                {"uid":"limits-h2-small","tags":{"name":"streamed"}}""".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(base.toURI().resolve("/v1/appliances"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestTokens.admin(TENANT_A))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, answer.version());
        assertEquals(201, answer.statusCode(), answer.body());
        given().auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/limits-h2-small")
                .then()
                .statusCode(200)
                .body("tags.name", equalTo("streamed"));
    }

    /** A client on HTTP/2 (h2c): its first request upgrades the connection, the next ones are HTTP/2 streams. */
    private HttpClient http2Client() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> upgrade = client.send(
                HttpRequest.newBuilder(base.toURI().resolve("/q/health/live"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, upgrade.version(), "the server speaks h2c");
        return client;
    }

    /** The raw answer (status line, headers, body) is a problem of {@code status} naming {@code field}. */
    private static void assertProblem(String answer, int status, String field) {
        // a request Netty could not parse is answered as HTTP/1.0 (the version is unknown)
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("""
                "status":%d""".formatted(status)), answer);
        assertTrue(answer.contains("""
                "field":"%s"
                """.formatted(field).strip()), answer);
    }

    /** Sends the raw request and reads the answer until the server closes the connection. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int head = text.indexOf("\r\n\r\n");
                if (head > 0 && text.contains("}")) {
                    return text;
                }
            }
            assertEquals("an answer", answer.toString(StandardCharsets.UTF_8));
            return "";
        }
    }
}
