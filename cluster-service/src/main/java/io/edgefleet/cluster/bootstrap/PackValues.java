package io.edgefleet.cluster.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The YAML values of packs: parsed (bounded: they come from tenants), merged (an override's mappings
 * merge into the base, anything else replaces) and read by dotted path ({@code pack.podCIDR}).
 */
public final class PackValues {

    private static final ObjectMapper READER = reader();
    private static final ObjectMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private PackValues() {}

    private static ObjectMapper reader() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(1024 * 1024);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(32);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new YAMLMapper(factory);
    }

    /** A YAML mapping (empty for blank text). @throws IllegalArgumentException saying what is wrong */
    public static Map<String, Object> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Object value = READER.readValue(yaml, Object.class);
            if (value == null) {
                return new LinkedHashMap<>();
            }
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("must be a YAML mapping (key: value), not a "
                        + value.getClass().getSimpleName());
            }
            return READER.convertValue(value, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            String message = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("is not valid YAML: " + message);
        }
    }

    /** {@code override} merged into a copy of {@code base}: mappings merge key by key, lists and scalars replace. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object current = merged.get(key);
            if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> valueMap) {
                merged.put(key, merge((Map<String, Object>) currentMap, (Map<String, Object>) valueMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** The value at a dotted path, or null. */
    public static Object at(Map<String, Object> values, String path) {
        Object current = values;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }
}
