package io.edgefleet.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hostile requests for every operation of a service's served OpenAPI document (issue 12): a valid request built from
 * the schemas, then mutated — wrong types, nulls, huge and tiny numbers, long and malformed strings, deep nesting,
 * missing and unknown fields, odd path ids and query values, wrong media types, bad tokens. Every answer must be below
 * 500 and every refusal a problem ({@code application/problem+json} with its status); a refused write must leave the
 * resource (or the collection's {@code total}) as it was. Seeded: a failure names the seed and the request.
 */
public final class ApiFuzzer {

    /** One broken rule: the request (method, path, what was mutated) and what came back. */
    public record Finding(String request, int status, String why) {
        @Override
        public String toString() {
            return request + " → " + status + ": " + why;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    private static final String MARK = "__fuzz_mark__";

    private final JsonNode document;
    private final JsonNode schemas;
    private final URI base;
    private final Supplier<String> token;
    private final long seed;
    private final Random random;
    private final Map<String, String> pathValues = new HashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int sent;
    private int attempts;

    public ApiFuzzer(String servedJson, URI base, Supplier<String> token, long seed) {
        try {
            this.document = JSON.readTree(servedJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an OpenAPI document", e);
        }
        this.schemas = document.path("components").path("schemas");
        this.base = base;
        this.token = token;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** A fuzzer for the document the service under test serves at {@code base}; {@code -Dfuzz.seed} repeats a run. */
    public static ApiFuzzer ofServedDocument(URL base, Supplier<String> token) {
        String document = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return new ApiFuzzer(document, URI.create(base.toString()), token, Long.getLong("fuzz.seed", 12L));
    }

    /** Runs at least {@code requests} requests and fails, naming the seed, on the first 20 broken rules. */
    public void assertNothingBreaks(String service, int requests) throws IOException, InterruptedException {
        List<Finding> findings = run(requests);
        System.out.printf(
                "[fuzz] %s: %d requests (seed %d), answers %s, %d findings%n",
                service, sent, seed, statuses, findings.size());
        Assertions.assertTrue(sent >= requests, "only " + sent + " of " + requests + " requests were answered");
        Assertions.assertEquals(
                List.of(),
                findings.stream().limit(20).map(Finding::toString).toList(),
                "seed " + seed + " (-Dfuzz.seed=" + seed + " repeats the run)");
    }

    /** A real value for a path parameter (an existing resource), so that mutations reach beyond the 404. */
    public ApiFuzzer pathValue(String parameter, String value) {
        pathValues.put(parameter, value);
        return this;
    }

    public int sent() {
        return sent;
    }

    /** How many answers had each status: what the run reached. */
    public Map<Integer, Integer> statuses() {
        return statuses;
    }

    /**
     * Rounds of mutations of every operation (DELETE only with broken ids) until at least {@code requests} were
     * answered; the broken rules.
     */
    public List<Finding> run(int requests) throws IOException, InterruptedException {
        List<Finding> findings = new ArrayList<>();
        while (sent < requests && attempts < 2 * requests + 100) { // a dead server ends the run, with findings
            for (Iterator<Map.Entry<String, JsonNode>> paths =
                            document.path("paths").fields();
                    paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (METHODS.contains(op.getKey())) {
                        fuzz(op.getKey().toUpperCase(), path.getKey(), op.getValue(), findings);
                    }
                }
            }
        }
        return findings;
    }

    private void fuzz(String method, String template, JsonNode op, List<Finding> findings)
            throws IOException, InterruptedException {
        Request valid = validRequest(method, template, op);
        List<Request> variants = new ArrayList<>();
        for (JsonNode parameter : op.path("parameters")) {
            String name = parameter.path("name").asText();
            switch (parameter.path("in").asText()) {
                case "path" -> variants.add(valid.withPath(name, pick(BAD_IDS), "path " + name));
                case "query" -> variants.add(valid.withQuery(name, pick(BAD_QUERY_VALUES), "query " + name));
                default -> {}
            }
        }
        if (!method.equals("DELETE")) {
            variants.add(valid.withHeader("Accept", pick(BAD_ACCEPTS), "Accept"));
            variants.add(valid.withHeader("Authorization", pick(BAD_AUTHORIZATIONS), "Authorization"));
            if (valid.body != null) {
                variants.add(valid.withHeader("Content-Type", pick(BAD_CONTENT_TYPES), "Content-Type"));
                variants.add(valid.withBody(pick(BAD_BODIES), "whole body"));
                variants.add(mutateField(valid));
                variants.add(mutateField(valid));
                variants.add(mutateField(valid));
            }
        }
        for (Request r : variants) {
            send(r, findings);
        }
    }

    private void send(Request r, List<Finding> findings) throws IOException, InterruptedException {
        attempts++;
        String before = r.method.equals("GET") ? null : state(r);
        HttpResponse<String> answer;
        try {
            answer = http.send(r.build(base, token.get()), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            findings.add(new Finding(r.describe(), 0, "no answer within " + ANSWER_WITHIN));
            return;
        } catch (IOException e) {
            findings.add(new Finding(r.describe(), 0, "connection failed: " + e));
            return;
        }
        sent++;
        int status = answer.statusCode();
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) {
            findings.add(new Finding(r.describe(), status, "server error: " + abbreviate(answer.body())));
        } else if (status >= 400) {
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                findings.add(
                        new Finding(r.describe(), status, "refused without a problem (Content-Type '" + type + "')"));
            } else if (JSON.readTree(answer.body()).path("status").asInt() != status) {
                findings.add(new Finding(
                        r.describe(),
                        status,
                        "the problem's status is not the answer's: " + abbreviate(answer.body())));
            } else if (before != null && !before.equals(state(r))) {
                findings.add(new Finding(r.describe(), status, "refused, yet the state changed"));
            }
        }
    }

    /**
     * What a refused write must not change: the resource it names (a GET of its path) or, for a POST on a
     * collection, the collection's total. Null when there is no such read.
     */
    private String state(Request r) throws IOException, InterruptedException {
        String path = r.resolvedPath();
        JsonNode item = document.path("paths").path(r.template).path("get");
        if (r.method.equals("POST") && item.isMissingNode()) {
            return null;
        }
        if (item.isMissingNode()) {
            // PUT/DELETE on a sub-resource without its own GET: its parent's
            int slash = r.template.lastIndexOf('/');
            if (slash <= 0
                    || document.path("paths")
                            .path(r.template.substring(0, slash))
                            .path("get")
                            .isMissingNode()) {
                return null;
            }
            path = path.substring(0, path.lastIndexOf('/'));
        }
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(ANSWER_WITHIN)
                        .header("Authorization", "Bearer " + token.get())
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (read.statusCode() != 200) {
            return Integer.toString(read.statusCode());
        }
        JsonNode body = JSON.readTree(read.body());
        return r.method.equals("POST") && body.has("total") ? body.path("total").asText() : body.toString();
    }

    // ---- building requests ----

    private Request validRequest(String method, String template, JsonNode op) {
        Map<String, String> path = new HashMap<>();
        Map<String, String> query = new HashMap<>();
        for (JsonNode parameter : op.path("parameters")) {
            String name = parameter.path("name").asText();
            if (parameter.path("in").asText().equals("path")) {
                path.put(name, pathValues.getOrDefault(name, UUID.randomUUID().toString()));
            }
        }
        JsonNode body = null;
        JsonNode content =
                op.path("requestBody").path("content").path("application/json").path("schema");
        if (!content.isMissingNode()) {
            body = example(content, 0);
        }
        return new Request(
                method,
                template,
                path,
                query,
                Map.of("Accept", "application/json"),
                body == null ? null : body.toString(),
                "valid");
    }

    /** A value the schema accepts, as far as the document says (patterns are not followed). */
    JsonNode example(JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            return depth > 6
                    ? NODES.nullNode()
                    : example(
                            schemas.path(schema.path("$ref").asText().substring("#/components/schemas/".length())),
                            depth + 1);
        }
        for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
            for (JsonNode option : schema.path(combinator)) {
                if (!"null".equals(option.path("type").asText())) {
                    return example(option, depth);
                }
            }
        }
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        if (schema.has("default")) {
            return schema.path("default");
        }
        String type = schema.path("type").isArray()
                ? schema.path("type").get(0).asText()
                : schema.path("type").asText();
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                schema.path("properties").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    object.set(property.getKey(), example(property.getValue(), depth + 1));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(example(schema.path("items"), depth + 1));
                return array;
            }
            case "integer", "number" -> {
                return NODES.numberNode(schema.path("minimum").asLong(1));
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            default -> {
                return switch (schema.path("format").asText()) {
                    case "uuid" -> NODES.textNode(UUID.randomUUID().toString());
                    case "date-time" -> NODES.textNode("2030-01-01T00:00:00Z");
                    default -> NODES.textNode("fuzz" + random.nextInt(1000));
                };
            }
        }
    }

    /** One field somewhere in the body (nested too) replaced, removed, or an unknown one added. */
    private Request mutateField(Request valid) throws IOException {
        JsonNode body = JSON.readTree(valid.body);
        if (!(body instanceof ObjectNode root) || root.isEmpty()) {
            return valid.withBody(pick(BAD_BODIES), "whole body");
        }
        ObjectNode parent = root;
        String path = "";
        while (true) {
            List<String> names = new ArrayList<>();
            parent.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            JsonNode child = parent.get(name);
            if (child instanceof ObjectNode nested && !nested.isEmpty() && random.nextBoolean()) {
                parent = nested;
                path += name + ".";
                continue;
            }
            if (child instanceof ArrayNode array
                    && !array.isEmpty()
                    && array.get(0) instanceof ObjectNode nested
                    && !nested.isEmpty()
                    && random.nextBoolean()) {
                parent = nested;
                path += name + "[0].";
                continue;
            }
            int kind = random.nextInt(10);
            if (kind == 0) {
                parent.remove(name);
                return valid.withBody(root.toString(), "without " + path + name);
            }
            if (kind == 1) {
                parent.put("fuzzUnknown", 1);
                return valid.withBody(root.toString(), "unknown field at " + path);
            }
            String raw = pick(BAD_VALUES);
            // the raw text goes in as it is: numbers beyond any type and deep nesting are not Jackson nodes
            parent.put(name, MARK);
            return valid.withBody(
                    root.toString().replace("\"" + MARK + "\"", raw), path + name + " = " + abbreviate(raw));
        }
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
    }

    private static final List<String> BAD_VALUES = List.of(
            "null",
            "12345",
            "-1",
            "0",
            "1e309",
            "-1e309",
            "9223372036854775808",
            "1.5",
            "true",
            "\"\"",
            "\" \"",
            "\"\\u0000\"",
            "\"" + "x".repeat(10_000) + "\"",
            "\"\\ud800\"",
            "\"../../etc/passwd\"",
            "\"' OR 1=1 --\"",
            "[]",
            "{}",
            "[null]",
            "{\"a\":null}",
            "[".repeat(600) + "]".repeat(600),
            "{\"a\":".repeat(300) + "1" + "}".repeat(300),
            "\"9999-99-99T99:99:99Z\"",
            "\"" + "🙂".repeat(200) + "\"");
    private static final List<String> BAD_BODIES = List.of(
            "",
            "null",
            "[]",
            "\"text\"",
            "42",
            "{",
            "{\"a\":}",
            "[".repeat(5000),
            "{}",
            "not json at all",
            "{\"x\":" + "1".repeat(5000) + "}");
    private static final List<String> BAD_IDS = List.of(
            "a".repeat(300),
            "%00",
            "..%2F..%2Fetc",
            "%25",
            "%F0%9F%99%82",
            "'%20OR%201=1",
            "-1",
            "0",
            "null",
            "%20",
            "a%2Fb",
            "x".repeat(3000),
            "%C0%AF");
    private static final List<String> BAD_QUERY_VALUES = List.of(
            "-1", "abc", "99999999999999999999", "", "%00", "1.5", "%25", "x".repeat(2000), "true", "UNKNOWN_VALUE");
    private static final List<String> BAD_ACCEPTS = List.of(
            "*/*/",
            "application/xml",
            "text/csv",
            "image/png",
            "application/json;q=abc",
            "text/event-stream;q=0",
            "*/*");
    private static final List<String> BAD_AUTHORIZATIONS = List.of(
            "Bearer",
            "Bearer x.y.z",
            "Basic YWxhZGRpbjpvcGVu",
            "Bearer " + "a".repeat(4000),
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
    private static final List<String> BAD_CONTENT_TYPES = List.of(
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=bogus");

    /** An immutable request, changed by copying. */
    private record Request(
            String method,
            String template,
            Map<String, String> path,
            Map<String, String> query,
            Map<String, String> headers,
            String body,
            String mutation) {

        Request withPath(String name, String value, String what) {
            Map<String, String> p = new HashMap<>(path);
            p.put(name, value);
            return new Request(method, template, p, query, headers, body, what + " = " + abbreviate(value));
        }

        Request withQuery(String name, String value, String what) {
            Map<String, String> q = new HashMap<>(query);
            q.put(name, value);
            return new Request(method, template, path, q, headers, body, what + " = " + abbreviate(value));
        }

        Request withHeader(String name, String value, String what) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(name, value);
            return new Request(method, template, path, query, h, body, what + ": " + abbreviate(value));
        }

        Request withBody(String newBody, String what) {
            return new Request(
                    method, template, path, query, headers, newBody, what + " (" + abbreviate(newBody) + ")");
        }

        /** Path values go in as they are: they are already what a hostile client would put on the wire. */
        String resolvedPath() {
            String resolved = template;
            for (Map.Entry<String, String> p : path.entrySet()) {
                resolved = resolved.replace("{" + p.getKey() + "}", p.getValue());
            }
            return resolved;
        }

        HttpRequest build(URI base, String token) {
            StringBuilder target = new StringBuilder(resolvedPath());
            String separator = "?";
            for (Map.Entry<String, String> q : query.entrySet()) {
                String value = q.getValue().startsWith("%")
                        ? q.getValue()
                        : URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8);
                target.append(separator).append(q.getKey()).append('=').append(value);
                separator = "&";
            }
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(base.resolve(target.toString())).timeout(ANSWER_WITHIN);
            b.header("Authorization", "Bearer " + token);
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::setHeader);
            HttpRequest.BodyPublisher publisher =
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
            return b.method(method, publisher).build();
        }

        String describe() {
            return method + " " + abbreviate(resolvedPath()) + " [" + mutation + "]";
        }
    }
}
