package io.edgefleet.appliance;

import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests over the HTTP layer's limits, written byte by byte on a socket (an HTTP client would not send them):
 * each is refused with a problem naming what is too large, and nothing is registered.
 */
@QuarkusTest
class HttpLimitsApiTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void bodyDeclaredAboveTheLimitIsAProblemAtAnySize() throws IOException {
        for (String size : new String[] {"65537", "1048577", "10737418240"}) {
            String answer = exchange("POST /v1/appliances HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestTokens.admin(TENANT_A) + "\r\nContent-Type: application/json\r\nContent-Length: " + size
                    + "\r\n\r\n{\"uid\":\"limits-huge\"");
            assertProblem(answer, 413, "\"field\":\"body\"");
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
        assertProblem(answer, 411, "\"field\":\"Content-Length\"");
        given().auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/limits-chunked")
                .then()
                .statusCode(404);
    }

    @Test
    void longRequestTargetIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 414, "\"field\":\"uri\"");
    }

    @Test
    void largeHeadersAreAProblem() throws IOException {
        String answer = exchange(
                "GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(20_000) + "\r\n\r\n");
        assertProblem(answer, 431, "\"field\":\"headers\"");
    }

    @Test
    void controlCharacterInAHeaderNameIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Bad\u0001Name: 1\r\n\r\n");
        assertProblem(answer, 400, "\"field\":\"headers\"");
    }

    @Test
    void controlCharacterInAHeaderValueIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\n\r\n");
        assertProblem(answer, 400, "\"field\":\"headers\"");
    }

    @Test
    void headerLineWithoutAColonIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n");
        assertProblem(answer, 400, "\"field\":\"headers\"");
    }

    @Test
    void requestLineThatIsNotHttpIsAProblem() throws IOException {
        String answer = exchange("GET /v1/appliances HTTP/9.x\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 400, "\"field\":\"request-line\"");
    }

    @Test
    void requestLineBeyondNettysLimitIsAProblem() throws IOException {
        // over quarkus.http.limits.max-initial-line-length (64 KiB): Netty refuses it before HttpLimits runs
        String answer = exchange("GET /v1/appliances/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertProblem(answer, 414, "\"field\":\"uri\"");
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
        assertProblem(answer, 431, "\"field\":\"headers\"");
    }

    private static void assertProblem(String answer, int status, String field) {
        // a request Netty could not parse is answered as HTTP/1.0 (the version is unknown)
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"status\":" + status), answer);
        assertTrue(answer.contains(field), answer);
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
