package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.RegisterAppliance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "register an appliance" form: what the operator typed (uid, display name, tags as {@code key=value} lines),
 * the request it becomes, and where each field error of the service's answer is shown. The service checks the values
 * (its problem+json names the field); the console only reads the text of the tags box.
 */
public final class ApplianceForm extends FormWithErrors {

    public static final String UID = "uid";
    public static final String NAME = "name";
    public static final String TAGS = "tags";

    private final String uid;
    private final String name;
    private final String tagsText;

    public ApplianceForm(String uid, String name, String tagsText) {
        this.uid = uid == null ? "" : uid.strip();
        this.name = name == null ? "" : name.strip();
        this.tagsText = tagsText == null ? "" : tagsText;
    }

    public static ApplianceForm empty() {
        return new ApplianceForm("", "", "");
    }

    /** The request, or null when the tags box cannot be read (the error is then at {@link #TAGS}). */
    public RegisterAppliance request() {
        Map<String, String> tags = new LinkedHashMap<>();
        int line = 0;
        for (String raw : tagsText.split("\\R")) {
            line++;
            String text = raw.strip();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0) {
                addError(TAGS, "line " + line + ": write tags as key=value");
                continue;
            }
            tags.put(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
        }
        if (!name.isEmpty()) {
            tags.put("name", name);
        }
        if (errors.containsKey(TAGS)) {
            return null;
        }
        return new RegisterAppliance().uid(uid).tags(tags);
    }

    /**
     * Places the service's field errors (its field names: {@code uid}, {@code tags}, {@code tags.<key>}; the display
     * name is the tag {@code name}) at the form's fields; anything else goes above the form.
     */
    public ApplianceForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at;
            String text = message;
            if (field.equals("uid")) {
                at = UID;
            } else if (field.equals("tags.name")) {
                at = NAME;
            } else if (field.equals("tags")) {
                at = TAGS;
            } else if (field.startsWith("tags.")) {
                at = TAGS;
                text = field.substring("tags.".length()) + ": " + message;
            } else {
                at = FORM;
                text = field + ": " + message;
            }
            addError(at, text);
        });
        return this;
    }

    public ApplianceForm withError(String field, String message) {
        addError(field, message);
        return this;
    }

    public String uid() {
        return uid;
    }

    public String name() {
        return name;
    }

    public String tagsText() {
        return tagsText;
    }
}
