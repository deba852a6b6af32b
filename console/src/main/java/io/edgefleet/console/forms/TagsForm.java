package io.edgefleet.console.forms;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * An appliance's tags edited as {@code key=value} lines (the display name is the tag {@code name}); the service's
 * errors ({@code tags}, {@code tags.<key>}) are all shown at the box, each naming its key.
 */
public final class TagsForm extends FormWithErrors {

    public static final String TAGS = "tags";

    private final String text;

    public TagsForm(String text) {
        this.text = text == null ? "" : text;
    }

    /** The form with the appliance's tags as they are, one line each. */
    public static TagsForm of(Map<String, String> tags) {
        return new TagsForm(
                tags == null
                        ? ""
                        : tags.entrySet().stream()
                                .map(e -> e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()))
                                .collect(Collectors.joining("\n")));
    }

    /** The tags, or null when a line is not {@code key=value} (the error is then at the box). */
    public Map<String, String> tags() {
        Map<String, String> tags = TagLines.read(text, TAGS, errors);
        return errors.isEmpty() ? tags : null;
    }

    public TagsForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String text = field.startsWith("tags.") ? field.substring("tags.".length()) + ": " + message : message;
            addError(TAGS, text);
        });
        return this;
    }

    public TagsForm withError(String message) {
        addError(TAGS, message);
        return this;
    }

    public String text() {
        return text;
    }

    public String error() {
        return errors.get(TAGS);
    }
}
