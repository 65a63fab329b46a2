package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a Jackson failure into a 400 that names the field at fault and says, in our words, what is wrong with it.
 * Jackson's own messages are never passed on: they name Java classes and echo input back.
 */
final class JsonFailures {
    private static final String BODY = "body";
    private static final Pattern QUOTED_NAME = Pattern.compile("'([^']{1,200})'");
    private static final int MAX_CAUSES = 16;

    private JsonFailures() {
    }

    static RuntimeException toBillingException(JacksonException failure) {
        if (failure instanceof InvalidDefinitionException definition) {
            // The target type cannot be read at all: our bug, not the caller's.
            return new IllegalStateException("request type is not readable as JSON: " + definition.getType(), failure);
        }
        if (failure instanceof ValueInstantiationException instantiation) {
            return fromConstructor(instantiation);
        }
        if (failure instanceof StreamConstraintsException) {
            return invalid(BODY, "is nested too deeply or holds a number that is too long");
        }
        InputCoercionException coercion = find(failure, InputCoercionException.class);
        if (coercion != null) {
            String path = failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? pathOf(mapping)
                    : pathOf(coercion.getProcessor());
            return invalid(orBody(path), outOfRange(coercion.getTargetType()));
        }
        if (failure instanceof UnrecognizedPropertyException unknown) {
            return invalid(pathOf(unknown), "is not a known field");
        }
        if (failure instanceof InvalidNullException invalidNull) {
            return invalid(orBody(pathOf(invalidNull)), "must not be null");
        }
        if (failure instanceof StrictTextModule.UnstorableTextException text) {
            return invalid(orBody(pathOf(text)), text.issue());
        }
        if (failure instanceof MismatchedInputException mismatch) {
            return fromMismatch(mismatch);
        }
        if (failure instanceof JsonEOFException) {
            return invalid(BODY, "is not valid JSON: it ends too early");
        }
        if (failure instanceof StreamReadException read) {
            return invalid(BODY, "is not valid JSON" + at(read.getLocation()));
        }
        if (failure instanceof JsonMappingException mapping) {
            return invalid(orBody(pathOf(mapping)), "has an unreadable value");
        }
        return invalid(BODY, "is not valid JSON");
    }

    private static RuntimeException fromMismatch(MismatchedInputException mismatch) {
        String path = pathOf(mismatch);
        String message = String.valueOf(mismatch.getOriginalMessage());
        if (message.startsWith("Missing required creator property")) {
            String name = quotedName(message);
            boolean pathNamesIt = path.equals(name) || path.endsWith("." + name);
            return invalid(pathNamesIt ? path : join(path, name), "is required");
        }
        if (message.startsWith("Cannot map `null` into type")) {
            return invalid(orBody(path), "must not be null");
        }
        if (path.isEmpty()) {
            return invalid(BODY, expected(mismatch.getTargetType()).replace("must be", "must be a JSON value that is"));
        }
        return invalid(path, expected(mismatch.getTargetType()));
    }

    /** A record's compact constructor refused the values: keep its words, which are ours. */
    private static RuntimeException fromConstructor(ValueInstantiationException failure) {
        String path = pathOf(failure);
        Throwable cause = failure.getCause();
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            if (cause instanceof BillingException refused) {
                return prefixed(refused, path);
            }
            if (cause instanceof NullPointerException && cause.getMessage() != null
                    && cause.getMessage().matches("[A-Za-z0-9_.]{1,100}")) {
                return invalid(join(path, cause.getMessage()), "is required");
            }
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                return invalid(orBody(path), cause.getMessage());
            }
        }
        return invalid(orBody(path), "has an invalid value");
    }

    private static RuntimeException prefixed(BillingException refused, String path) {
        if (path.isEmpty() || refused.details().isEmpty()) {
            return refused;
        }
        List<FieldIssue> details = new ArrayList<>();
        for (FieldIssue issue : refused.details()) {
            details.add(new FieldIssue(join(path, issue.field()), issue.issue()));
        }
        return BillingException.invalid(refused.getMessage(), details);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (isInteger(type)) {
            return "must be an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class) {
            return "must be a number";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "must be a string";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "must be an RFC 3339 timestamp such as 2026-11-27T10:31:00Z";
        }
        if (type == LocalDate.class) {
            return "must be a date such as 2026-11-27";
        }
        if (type == Duration.class) {
            return "must be an ISO 8601 duration such as PT30S";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "must be a date or time string";
        }
        if (type == UUID.class || CoreIdsModule.isCoreUuidId(type)) {
            return "must be a UUID string";
        }
        if (type.isEnum()) {
            return "must be one of: " + Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String outOfRange(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == short.class || type == Short.class || type == byte.class || type == Byte.class) {
            return "must be a small integer";
        }
        return "must be an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
    }

    private static boolean isInteger(Class<?> type) {
        return type == long.class || type == int.class || type == short.class || type == byte.class
                || type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
                || type == BigInteger.class;
    }

    static String pathOf(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : failure.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String pathOf(Object processor) {
        if (!(processor instanceof JsonParser parser)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inObject() && context.getCurrentName() != null) {
                parts.add(0, "." + context.getCurrentName());
            } else if (context.inArray()) {
                parts.add(0, "[" + Math.max(0, context.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String quotedName(String message) {
        Matcher matcher = QUOTED_NAME.matcher(message);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String join(String path, String name) {
        if (name == null || name.isEmpty()) {
            return orBody(path);
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String orBody(String path) {
        return path.isEmpty() ? BODY : path;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        Throwable current = failure;
        for (int i = 0; current != null && i < MAX_CAUSES; i++, current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    private static BillingException invalid(String field, String issue) {
        return BillingException.invalid(field, issue);
    }
}
