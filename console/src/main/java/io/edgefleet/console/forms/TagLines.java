package io.edgefleet.console.forms;

import java.util.LinkedHashMap;
import java.util.Map;

/** Tags typed as {@code key=value} lines; a line that is not one is an error at the box. */
final class TagLines {

    private TagLines() {}

    static Map<String, String> read(String text, String field, Map<String, String> errors) {
        Map<String, String> tags = new LinkedHashMap<>();
        int line = 0;
        for (String raw : text.split("\\R")) {
            line++;
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                errors.merge(field, "line " + line + ": write tags as key=value", (a, b) -> a + "; " + b);
                continue;
            }
            tags.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        return tags;
    }
}
