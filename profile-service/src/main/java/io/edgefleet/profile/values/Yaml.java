package io.edgefleet.profile.values;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the YAML of pack values, manifests and registry indexes. Input comes from tenants
 * and remote registries, so nesting and size are limited, duplicate keys are errors, aliases are refused
 * in values and manifests, and documents may be large only where indexes need it.
 */
public final class Yaml {

    /** Values, presets and manifests: small documents from API bodies and catalogs. */
    private static final ObjectMapper SMALL = mapper(4 * 1024 * 1024);
    /** Registry indexes: a busy Helm repository's index.yaml is tens of megabytes. */
    private static final ObjectMapper LARGE = mapper(64 * 1024 * 1024);

    private static final LoaderOptions EVENT_OPTIONS = new LoaderOptions();
    private static final ObjectMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private Yaml() {}

    private static ObjectMapper mapper(int maxCodePoints) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxCodePoints);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(64);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new YAMLMapper(factory);
    }

    /**
     * One YAML mapping ({@code key: value}); blank text or only comments is the empty mapping.
     *
     * @throws YamlException when the text is not YAML, has several documents, or is not a mapping
     */
    public static Map<String, Object> mapping(String text) throws YamlException {
        List<JsonNode> documents = documents(SMALL, text);
        if (documents.size() > 1) {
            throw new YamlException("must be a single YAML document, found " + documents.size());
        }
        JsonNode root = documents.isEmpty() ? null : documents.get(0);
        if (root == null || root.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!root.isObject()) {
            throw new YamlException("must be a YAML mapping of keys to values, not " + describe(root));
        }
        return toMap(root);
    }

    /** Every document of a multi-document YAML text ({@code ---} separated); empty documents are skipped. */
    public static List<JsonNode> documents(String text) throws YamlException {
        return documents(SMALL, text);
    }

    /** A large single document (a registry index). */
    public static JsonNode index(byte[] content) throws YamlException {
        try {
            JsonNode root = LARGE.readTree(content);
            return root == null || root.isMissingNode() ? null : root;
        } catch (IOException e) {
            throw new YamlException("is not valid YAML" + reason(e));
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode node) {
        return SMALL.convertValue(node, LinkedHashMap.class);
    }

    /** YAML text of {@code values}; the empty mapping is the empty text. */
    public static String write(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "";
        }
        try {
            return WRITER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("values cannot be written as YAML", e);
        }
    }

    public static String describe(JsonNode node) {
        return node.isArray()
                ? "a list"
                : node.isTextual()
                        ? "a string"
                        : node.isNumber()
                                ? "a number"
                                : node.isBoolean()
                                        ? "a boolean"
                                        : node.isNull()
                                                ? "null"
                                                : "a "
                                                        + node.getNodeType()
                                                                .name()
                                                                .toLowerCase();
    }

    private static List<JsonNode> documents(ObjectMapper mapper, String text) throws YamlException {
        List<JsonNode> documents = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return documents;
        }
        rejectAliases(text);
        // one root value per YAML document (a root list stays one value, unlike with readValues)
        try (JsonParser parser = mapper.createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode document = mapper.readTree(parser);
                if (document != null && !document.isMissingNode() && !document.isNull()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new YamlException("is not valid YAML" + reason(e));
        }
    }

    /**
     * Jackson's YAML parser reads an alias ({@code *name}) as the plain string "name" instead of the anchored
     * value. Silently changing values is worse than refusing them, so aliases are an error. (This also
     * rules out alias bombs.)
     */
    private static void rejectAliases(String text) throws YamlException {
        try {
            for (Event event : new org.yaml.snakeyaml.Yaml(EVENT_OPTIONS).parse(new StringReader(text))) {
                if (event instanceof AliasEvent alias) {
                    throw new YamlException("is not supported YAML (line "
                            + (alias.getStartMark().getLine() + 1) + ", column "
                            + (alias.getStartMark().getColumn() + 1) + "): anchors and aliases (*" + alias.getAnchor()
                            + ") are not supported; write the values out");
                }
            }
        } catch (YAMLException e) {
            throw new YamlException("is not valid YAML" + reason(e));
        }
    }

    /** The parser's own words and position, without the echoed input Jackson and SnakeYAML append. */
    private static String reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                return " (line " + (marked.getProblemMark().getLine() + 1) + ", column "
                        + (marked.getProblemMark().getColumn() + 1) + "): " + firstLine(context + marked.getProblem());
            }
        }
        Throwable cause = e;
        while (!(cause instanceof JsonProcessingException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof JsonProcessingException json)) {
            return ": " + firstLine(e.getMessage());
        }
        JsonLocation at = json.getLocation();
        String where = at == null || at.getLineNr() < 1
                ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return where + ": " + firstLine(json.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip().lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
