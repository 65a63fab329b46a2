package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The one JSON configuration of the API, and the way routes read request bodies.
 *
 * <p>Reading is strict because this is a money API: unknown fields, duplicate keys, trailing content, {@code null}
 * for a primitive, and any coercion into an integer field (a float {@code 12.5}, a string {@code "12"}, a boolean)
 * are refused with 400, never silently truncated or defaulted; so are integers past the range of the target type.
 * Names are camelCase as written in the records; timestamps are RFC 3339 strings in UTC.
 *
 * <p>Properties are read and written through generated accessors ({@link BlackbirdModule}: lambdas from
 * {@code LambdaMetafactory} in place of reflective calls per property), which takes reflection off the per-request
 * path; a class it cannot reach (not visible to its lookup) keeps Jackson's reflective access.
 *
 * <p>Thread-safe: the mapper is configured once here and never changed afterwards.
 */
public final class Json {
    private static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = buildMapper();

    private Json() {
    }

    /** The shared mapper. Do not reconfigure it; use {@code mapper().copy()} for a variant. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads the request body as {@code type}. Every failure becomes a 400 {@code bad_request} naming the offending
     * field in {@code details} ({@code amountCents}, {@code items[2].model}, an unknown field's name); an empty body
     * is a 400 too, a non-empty one not declared as JSON a 415, and one over the configured limit a 413.
     */
    public static <T> T parse(Context ctx, Class<T> type) {
        byte[] body = ctx.bodyAsBytes();
        if (!isBlank(body) && !MediaTypes.isJson(ctx.contentType())) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be application/json");
        }
        return parse(body, type);
    }

    /** Reads {@code body} as {@code type}, with the same refusals as {@link #parse(Context, Class)}. */
    public static <T> T parse(byte[] body, Class<T> type) {
        if (isBlank(body)) {
            throw BillingException.invalid("the request body is empty; a JSON object is required",
                    List.of(new FieldIssue("body", "is required")));
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw BillingException.invalid("body", "must be a JSON object, not null");
            }
            RequiredFields.check(value);
            return value;
        } catch (JacksonException e) {
            RuntimeException failure = JsonFailures.toBillingException(e);
            if (failure instanceof BillingException refused && e instanceof JsonMappingException
                    && !(e instanceof UnrecognizedPropertyException)) {
                throw refine(refused, body, type);
            }
            throw failure;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serializes {@code value} as UTF-8 JSON with every non-ASCII character escaped, so that text which has no
     * UTF-8 encoding (an unpaired surrogate in a tree read from a request) survives to be refused when it is read
     * again, instead of turning into {@code ?}.
     */
    public static byte[] writeEscaped(Object value) {
        try {
            return MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** Serializes {@code value}; a failure here is our bug, not the caller's. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /**
     * A binding failure seen against the whole body: name every unknown field too (Jackson reports those only after
     * building the record, so a typo in a required field would otherwise read as "is required" alone), and tell an
     * absent field ("is required") from an explicit {@code null} ("must not be null").
     */
    private static BillingException refine(BillingException refused, byte[] body, Class<?> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            return refused;
        }
        List<FieldIssue> details = new ArrayList<>(UnknownFields.in(tree, type));
        boolean hasUnknown = !details.isEmpty();
        for (FieldIssue issue : refused.details()) {
            boolean absent = issue.issue().equals("must not be null") && UnknownFields.at(tree, issue.field()) == null;
            details.add(absent ? new FieldIssue(issue.field(), "is required") : issue);
        }
        if (!hasUnknown && details.equals(refused.details())) {
            return refused;
        }
        FieldIssue first = details.get(0);
        return BillingException.invalid(first.field() + " " + first.issue(), details);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static ObjectMapper buildMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new StrictTimeModule())
                .addModule(new StrictTextModule())
                .addModule(new CoreIdsModule())
                .addModule(new BlackbirdModule())
                .defaultTimeZone(TimeZone.getTimeZone("UTC"))
                .defaultLocale(Locale.ROOT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATES_WITH_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.DateTime, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .build();
    }
}
