package io.edgefleet.profile;

import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests as the tenants' users, and small builders for request bodies. */
final class Api {

    static final String PROBLEM = "application/problem+json";

    private Api() {}

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification admin(String tenant) {
        return as(TestTokens.admin(tenant));
    }

    static RequestSpecification viewer(String tenant) {
        return as(TestTokens.viewer(tenant));
    }

    /** A JSON object from key, value pairs (nulls are left out). */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.putAll(obj(keysAndValues));
        return copy;
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    /** A layer with a pack of the built-in catalog. */
    static Map<String, Object> pack(String name, String version) {
        return obj("name", name, "version", version);
    }

    static Map<String, Object> manifest(String name, String kind, String objectName) {
        return obj(
                "name", name, "content", "apiVersion: v1\nkind: " + kind + "\nmetadata:\n  name: " + objectName + "\n");
    }

    /** OS, KUBERNETES, NETWORK, STORAGE from the built-in catalog, on trains. */
    static List<Object> core() {
        return list(
                pack("ubuntu", "22.04.x"),
                pack("kubernetes", "1.29.x"),
                pack("calico", "3.27.x"),
                pack("longhorn", "1.6.x"));
    }

    static Map<String, Object> profile(String name, String type, List<Object> layers) {
        return obj(
                "name",
                name,
                "type",
                type,
                "cloudType",
                type.equals("ADDON") ? null : "containerized",
                "layers",
                layers);
    }

    /** Creates a profile and returns its id. */
    static String create(String tenant, Map<String, Object> body) {
        return admin(tenant)
                .body(body)
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /**
     * Each event once, in the order first seen. Delivery is at least once: the relay re-sends a batch the
     * broker did not acknowledge in time (seen when the topic is created by the first publish), and
     * consumers deduplicate by event id, as this does.
     */
    static List<TopicReader.Received> distinct(List<TopicReader.Received> events) {
        Set<String> seen = new HashSet<>();
        return events.stream().filter(r -> seen.add(r.event().id())).toList();
    }

    /** Reads until {@code count} distinct events match (or the timeout passes); returns them once each. */
    static List<TopicReader.Received> awaitDistinct(
            TopicReader reader, Predicate<TopicReader.Received> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicReader.Received> seen = distinct(reader.await(filter, count, timeout));
        while (seen.size() < count && System.nanoTime() < deadline) {
            seen = distinct(reader.settle(filter, Duration.ofMillis(200)));
        }
        return seen;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        assertTrue(Eventually.holds(timeout, Duration.ofMillis(100), condition), what);
    }
}
