package io.edgefleet.profile.values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How pack values combine, as Helm does it: mappings merge key by key (recursively), anything else —
 * lists included — is replaced by the overriding value, and a {@code null} override removes the key.
 */
public final class Values {

    private Values() {}

    /** {@code base} with {@code overrides} merged over it; neither argument is changed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> merged = copy(base);
        overrides.forEach((key, value) -> {
            Object current = merged.get(key);
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> currentMap) {
                merged.put(key, merge((Map<String, Object>) currentMap, (Map<String, Object>) map));
            } else {
                merged.put(key, deepCopy(value));
            }
        });
        return merged;
    }

    /** The value at a dotted path ({@code pack.podCIDR}), or null. */
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> values) {
        return (Map<String, Object>) deepCopy(values);
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return value;
    }
}
