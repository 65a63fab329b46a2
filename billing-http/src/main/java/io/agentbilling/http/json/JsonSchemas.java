package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses it) for the request and response records of the API, derived from the
 * same classes Jackson reads and writes, so the description cannot drift from the wire format. Records become
 * named components; a component is required when it is primitive or {@code @JsonProperty(required = true)}; text
 * comes from {@code @JsonClassDescription} and {@code @JsonPropertyDescription}.
 *
 * <p>Not thread-safe: one instance builds one document.
 */
public final class JsonSchemas {
    private static final String REF_PREFIX = "#/components/schemas/";
    private static final int MAX_DEPTH = 32;

    private final Map<String, Object> components = new TreeMap<>();
    private final Map<Class<?>, String> names = new HashMap<>();

    /** The schema of {@code type}: inline for scalars and containers, a {@code $ref} for records. */
    public Map<String, Object> schemaFor(Type type) {
        return schemaFor(type, 0);
    }

    /** Adds a named component by hand (e.g. the envelopes) and returns a reference to it. */
    public Map<String, Object> define(String name, Map<String, Object> schema) {
        components.put(name, schema);
        return ref(name);
    }

    public static Map<String, Object> ref(String name) {
        return Map.of("$ref", REF_PREFIX + name);
    }

    /** Every component defined so far, by name. */
    public Map<String, Object> components() {
        return components;
    }

    private Map<String, Object> schemaFor(Type type, int depth) {
        if (depth > MAX_DEPTH) {
            return new LinkedHashMap<>();
        }
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] arguments = generic.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return array(schemaFor(arguments[0], depth + 1));
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> schema = typed("object");
                schema.put("additionalProperties", schemaFor(arguments[1], depth + 1));
                return schema;
            }
            return schemaFor(raw, depth);
        }
        if (type instanceof GenericArrayType array) {
            return array(schemaFor(array.getGenericComponentType(), depth + 1));
        }
        if (type instanceof WildcardType wildcard) {
            return schemaFor(wildcard.getUpperBounds()[0], depth);
        }
        if (!(type instanceof Class<?> raw)) {
            return new LinkedHashMap<>();
        }
        return schemaForClass(raw, depth);
    }

    private Map<String, Object> schemaForClass(Class<?> raw, int depth) {
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return typed("string");
        }
        if (raw == long.class || raw == Long.class) {
            return formatted("integer", "int64");
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class
                || raw == byte.class || raw == Byte.class) {
            return formatted("integer", "int32");
        }
        if (raw == BigInteger.class) {
            return typed("integer");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class) {
            return typed("number");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return typed("boolean");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            return formatted("string", "date-time");
        }
        if (raw == LocalDate.class) {
            return formatted("string", "date");
        }
        if (raw == Duration.class) {
            return formatted("string", "duration");
        }
        if (raw == UUID.class || CoreIdsModule.isCoreUuidId(raw)) {
            return formatted("string", "uuid");
        }
        if (raw == URI.class) {
            return formatted("string", "uri");
        }
        if (raw.isEnum()) {
            Map<String, Object> schema = typed("string");
            List<String> values = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                JsonNode written = Json.mapper().valueToTree(constant);
                values.add(written.asText());
            }
            schema.put("enum", values);
            return schema;
        }
        if (raw.isArray()) {
            return array(schemaFor(raw.getComponentType(), depth + 1));
        }
        if (raw.isRecord()) {
            return recordRef(raw, depth);
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return new LinkedHashMap<>();
        }
        return typed("object");
    }

    private Map<String, Object> recordRef(Class<?> record, int depth) {
        String existing = names.get(record);
        if (existing != null) {
            return ref(existing);
        }
        String name = uniqueName(record);
        names.put(record, name);
        components.put(name, Map.of()); // placeholder: a self-referencing record stops here
        Map<String, Object> schema = typed("object");
        JsonClassDescription classDescription = record.getAnnotation(JsonClassDescription.class);
        if (classDescription != null) {
            schema.put("description", classDescription.value());
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String jsonName = JsonNames.of(component);
            Map<String, Object> property = new LinkedHashMap<>(schemaFor(component.getGenericType(), depth + 1));
            boolean isRequired = RequiredFields.isRequired(component);
            if (isRequired) {
                required.add(jsonName);
            } else if (property.get("type") instanceof String simple) {
                property.put("type", List.of(simple, "null"));
            } else if (property.containsKey("$ref")) {
                // An optional nested record is written as null when absent.
                property = new LinkedHashMap<>(Map.of("anyOf", List.of(property, Map.of("type", "null"))));
            }
            JsonPropertyDescription text = JsonNames.annotation(component, JsonPropertyDescription.class);
            if (text != null) {
                property.put("description", text.value());
            }
            properties.put(jsonName, property);
        }
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        components.put(name, schema);
        return ref(name);
    }

    private String uniqueName(Class<?> type) {
        String name = type.getSimpleName();
        if (components.containsKey(name) || names.containsValue(name)) {
            name = type.getName().replace('.', '_').replace('$', '_');
        }
        return name;
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        Map<String, Object> schema = typed("array");
        schema.put("items", items);
        return schema;
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        return schema;
    }

    private static Map<String, Object> formatted(String type, String format) {
        Map<String, Object> schema = typed(type);
        schema.put("format", format);
        return schema;
    }
}
