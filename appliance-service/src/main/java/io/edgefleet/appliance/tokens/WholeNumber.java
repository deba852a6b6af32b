package io.edgefleet.appliance.tokens;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * A count as the API document says: a JSON integer. Jackson alone takes {@code 1.5} as 1 (ACCEPT_FLOAT_AS_INT), which
 * StrictJson does not switch off; here a fraction is a 400 naming the field, and so is a number beyond a long.
 */
final class WholeNumber extends StdDeserializer<Long> {

    WholeNumber() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
            throw ctxt.weirdNumberException(p.getNumberValue(), Long.class, "beyond a 64-bit integer");
        }
        return p.getLongValue();
    }
}
