package io.edgefleet.appliance.tokens;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A date-time as the API document says: an RFC 3339 string with its offset. Jackson alone would also take a number
 * (epoch seconds, where {@code 1e300} fails deep inside java.time) and turn {@code ""} into "no value"; here both are
 * a 400 naming the field, like every other type mismatch (StrictJson).
 */
final class Rfc3339 extends StdDeserializer<OffsetDateTime> {

    Rfc3339() {
        super(OffsetDateTime.class);
    }

    @Override
    public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
        }
        String text = p.getText();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw ctxt.weirdStringException(
                    text.length() > 40 ? text.substring(0, 40) + "..." : text,
                    OffsetDateTime.class,
                    "not an RFC 3339 date-time with an offset (2030-01-31T12:00:00Z)");
        }
    }
}
