package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * Timestamps are RFC 3339 strings only, of years 0000 to 9999 ({@link Timestamps}). jsr310 also reads bare numbers as epoch seconds (or milliseconds), whatever
 * leniency says; a caller sending {@code 1700000000} almost certainly meant something else, so refuse it.
 * Registered after {@code JavaTimeModule}, so these win.
 */
final class StrictTimeModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    StrictTimeModule() {
        super("agentbilling-strict-time");
        addDeserializer(Instant.class, new StringOnly<>(Instant.class, InstantDeserializer.INSTANT));
        addDeserializer(OffsetDateTime.class, new StringOnly<>(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME));
        addDeserializer(ZonedDateTime.class, new StringOnly<>(ZonedDateTime.class, InstantDeserializer.ZONED_DATE_TIME));
    }

    private static final class StringOnly<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final JsonDeserializer<T> delegate;

        StringOnly(Class<T> type, JsonDeserializer<T> delegate) {
            super(type);
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (T) context.handleUnexpectedToken(handledType(), parser);
            }
            String text = parser.getText();
            T value = delegate.deserialize(parser, context);
            Instant instant = value instanceof Instant i ? i
                    : value instanceof OffsetDateTime o ? o.toInstant()
                    : value instanceof ZonedDateTime z ? z.toInstant() : null;
            if (instant != null && !Timestamps.inRange(instant)) {
                return (T) context.handleWeirdStringValue(handledType(), text, "outside years 0000-9999");
            }
            return value;
        }
    }
}
