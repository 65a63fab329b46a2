package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Every string read from a request body follows {@link Text}: one with a NUL character or an unpaired surrogate is
 * refused with 400 naming its field, instead of reaching the database (which refuses the first and mangles the
 * second).
 */
final class StrictTextModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    StrictTextModule() {
        super("agentbilling-strict-text");
        addDeserializer(String.class, new StorableString());
    }

    /** A string value that breaks {@link Text}; {@link JsonFailures} turns it into a 400 naming the field. */
    static final class UnstorableTextException extends MismatchedInputException {
        private static final long serialVersionUID = 1L;
        private final String issue;

        UnstorableTextException(JsonParser parser, String issue) {
            super(parser, "unstorable text: " + issue, String.class);
            this.issue = issue;
        }

        String issue() {
            return issue;
        }
    }

    private static final class StorableString extends StringDeserializer {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            String problem = value == null ? null : Text.problem(value);
            if (problem != null) {
                throw new UnstorableTextException(parser, problem);
            }
            return value;
        }
    }
}
