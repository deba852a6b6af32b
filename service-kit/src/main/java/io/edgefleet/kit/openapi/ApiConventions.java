package io.edgefleet.kit.openapi;

import io.edgefleet.kit.rest.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error half of every service's API contract, applied to the generated document so that no resource has to
 * repeat it (docs/api.md):
 * <ul>
 *   <li>every 4xx/5xx response carries {@code application/problem+json} with the one shared {@code Problem} schema;</li>
 *   <li>an operation with parameters or a body may answer 400, one with a path parameter 404, a secured one
 *       401 and 403, one with a body 413 and 415, every one 406 (the server sends all of them as problems) — added
 *       where the resource did not describe them;</li>
 *   <li>path parameters are listed in the order of the path template (generated clients take them in that order);</li>
 *   <li>responses are ordered by status code, so the checked-in document diffs cleanly.</li>
 * </ul>
 * The success half (operationId = the Java method name, typed 2xx bodies, enums, required fields) stays with each
 * resource's annotations.
 */
public class ApiConventions implements OASFilter {

    static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        ensureProblemSchema(openAPI);
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            List<Parameter> shared = item.getParameters() == null ? List.of() : item.getParameters();
            item.getOperations().forEach((method, operation) -> apply(path, shared, operation));
        });
    }

    private static void apply(String path, List<Parameter> shared, Operation operation) {
        List<Parameter> parameters = new ArrayList<>(shared);
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
            operation.setParameters(inTemplateOrder(path, operation.getParameters()));
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean hasInput = !parameters.isEmpty() || operation.getRequestBody() != null;
        boolean hasPathParameter = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH);
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (hasInput) {
            addIfMissing(responses, "400", "Invalid input: `field` names the first problem, `errors` lists every one");
        }
        if (secured) {
            addIfMissing(responses, "401", "No valid bearer token");
            addIfMissing(responses, "403", "The token's role does not allow this");
        }
        if (hasPathParameter) {
            addIfMissing(responses, "404", "Not found in your tenant");
        }
        addIfMissing(responses, "406", "`Accept` names no media type this operation answers with");
        if (operation.getRequestBody() != null) {
            addIfMissing(responses, "413", "The body is larger than the API's limit (HttpLimits)");
            addIfMissing(responses, "415", "`Content-Type` is not a media type this operation reads");
        }
        Map<String, APIResponse> sorted = new TreeMap<>(Comparator.naturalOrder());
        sorted.putAll(responses.getAPIResponses() == null ? Map.of() : responses.getAPIResponses());
        for (Map.Entry<String, APIResponse> entry : sorted.entrySet()) {
            if (isError(entry.getKey())) {
                withProblemBody(entry.getValue());
            }
        }
        responses.setAPIResponses(new LinkedHashMap<>(sorted));
    }

    private static List<Parameter> inTemplateOrder(String path, List<Parameter> parameters) {
        List<Parameter> ordered = new ArrayList<>(parameters);
        ordered.sort(Comparator.comparingInt(p -> position(path, p)));
        return ordered;
    }

    /** Path parameters by their place in the template, then the others in their generated order. */
    private static int position(String path, Parameter parameter) {
        if (parameter.getIn() != Parameter.In.PATH) {
            return Integer.MAX_VALUE;
        }
        int at = path.indexOf("{" + parameter.getName() + "}");
        return at < 0 ? Integer.MAX_VALUE - 1 : at;
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    private static void addIfMissing(APIResponses responses, String code, String description) {
        if (responses.getAPIResponse(code) == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    /** Errors are problems whatever the resource said: replace any other media type. */
    private static void withProblemBody(APIResponse response) {
        Content content = response.getContent();
        if (content != null
                && content.getMediaTypes() != null
                && content.getMediaTypes().size() == 1
                && content.hasMediaType(Problem.MEDIA_TYPE)) {
            return;
        }
        response.setContent(OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_REF))));
    }

    /** A service whose resources never name {@code Problem} still gets its schema. */
    private static void ensureProblemSchema(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        if (schemas != null && schemas.containsKey("Problem")) {
            return;
        }
        openAPI.getComponents()
                .addSchema(
                        "FieldError",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.OBJECT))
                                .addProperty("field", string())
                                .addProperty("message", string()));
        openAPI.getComponents()
                .addSchema(
                        "Problem",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.OBJECT))
                                .addProperty("type", string())
                                .addProperty("title", string())
                                .addProperty(
                                        "status",
                                        OASFactory.createSchema()
                                                .type(List.of(Schema.SchemaType.INTEGER))
                                                .format("int32"))
                                .addProperty("detail", string())
                                .addProperty("instance", string())
                                .addProperty("field", string())
                                .addProperty(
                                        "errors",
                                        OASFactory.createSchema()
                                                .type(List.of(Schema.SchemaType.ARRAY))
                                                .items(OASFactory.createSchema()
                                                        .ref("#/components/schemas/FieldError"))));
    }

    private static Schema string() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }
}
