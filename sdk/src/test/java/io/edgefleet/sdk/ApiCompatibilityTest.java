package io.edgefleet.sdk;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client built against the last release keeps working: each service's checked-in document may only add to the
 * released one (sdk/src/main/openapi/released/), unless its info.version names a new major version (docs/api.md).
 */
class ApiCompatibilityTest {

    private static final Pattern MAJOR = Pattern.compile("v?(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"appliance-service", "profile-service", "cluster-service", "policy-service"})
    void noBreakingChangeWithoutANewMajorVersion(String service) throws Exception {
        Path released = Path.of("src/main/openapi/released", service + ".yaml");
        Path current = Path.of("..", service, "src/main/openapi/openapi.yaml");
        ChangedOpenApi diff = OpenApiCompare.fromLocations(
                released.toUri().toString(), current.toUri().toString());
        if (!diff.isIncompatible()) {
            return;
        }
        int releasedMajor = major(diff.getOldSpecOpenApi().getInfo().getVersion());
        int currentMajor = major(diff.getNewSpecOpenApi().getInfo().getVersion());
        if (currentMajor > releasedMajor) {
            return;
        }
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (OutputStreamWriter writer = new OutputStreamWriter(report, StandardCharsets.UTF_8)) {
            new MarkdownRender().render(diff, writer);
        }
        fail(service + " breaks clients of its released API (v" + releasedMajor + ") without a new major version "
                + "(quarkus.smallrye-openapi.info-version):\n" + report.toString(StandardCharsets.UTF_8));
    }

    private static int major(String version) {
        Matcher m = MAJOR.matcher(version == null ? "" : version);
        if (!m.lookingAt()) {
            throw new AssertionError("info.version '" + version + "' does not start with a major version");
        }
        return Integer.parseInt(m.group(1));
    }
}
