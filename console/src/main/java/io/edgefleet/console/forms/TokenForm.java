package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CreateRegistrationToken;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * "Issue a registration token": a description, optionally the one appliance uid it may enrol, how many enrolments it
 * allows, how many days it is valid, and the tags its appliances get. The service's field errors are shown at the
 * fields ({@code expiresAt} at the days).
 */
public final class TokenForm extends FormWithErrors {

    public static final String DESCRIPTION = "description";
    public static final String UID = "uid";
    public static final String MAX_USES = "maxUses";
    public static final String DAYS = "days";
    public static final String TAGS = "tags";

    private final String description;
    private final String uid;
    private final String maxUses;
    private final String days;
    private final String tagsText;

    public TokenForm(String description, String uid, String maxUses, String days, String tagsText) {
        this.description = strip(description);
        this.uid = strip(uid);
        this.maxUses = strip(maxUses);
        this.days = strip(days);
        this.tagsText = tagsText == null ? "" : tagsText;
    }

    public static TokenForm empty() {
        return new TokenForm("", "", "1", "7", "");
    }

    /** The request, or null when a field cannot be read (its error is then at the field). */
    public CreateRegistrationToken request(OffsetDateTime now) {
        Map<String, String> tags = TagLines.read(tagsText, TAGS, errors);
        Long uses = number(MAX_USES, maxUses);
        Long validDays = number(DAYS, days);
        if (!errors.isEmpty()) {
            return null;
        }
        return new CreateRegistrationToken()
                .description(description.isEmpty() ? null : description)
                .uid(uid.isEmpty() ? null : uid)
                .maxUses(uses)
                .expiresAt(
                        validDays == null
                                ? null
                                : now.plus(Duration.ofDays(validDays)).withOffsetSameInstant(ZoneOffset.UTC))
                .tags(tags);
    }

    public TokenForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at = switch (field) {
                case "description" -> DESCRIPTION;
                case "uid" -> UID;
                case "maxUses" -> MAX_USES;
                case "expiresAt" -> DAYS;
                default -> field.startsWith("tags") ? TAGS : FORM;
            };
            String text = field.startsWith("tags.")
                    ? field.substring(5) + ": " + message
                    : at.equals(FORM) ? field + ": " + message : message;
            addError(at, text);
        });
        return this;
    }

    public TokenForm withError(String field, String message) {
        addError(field, message);
        return this;
    }

    private Long number(String field, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            addError(field, "a whole number");
            return null;
        }
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    public String description() {
        return description;
    }

    public String uid() {
        return uid;
    }

    public String maxUses() {
        return maxUses;
    }

    public String days() {
        return days;
    }

    public String tagsText() {
        return tagsText;
    }
}
