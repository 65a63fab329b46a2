package io.agentbilling.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks real responses against the server's own {@code /openapi.json}: the route and status must be described, and
 * the JSON body must match the described schema — types, required fields, enums, items, and no field the schema does
 * not name (an undocumented field is drift too). Supports the subset of JSON Schema the server's generator emits
 * ({@code $ref}, {@code type} or a list of types, {@code anyOf}, {@code properties}, {@code required}, {@code items},
 * {@code additionalProperties}, {@code enum}).
 */
public final class OpenApiConformance {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode document;

    public OpenApiConformance(String openApiJson) {
        try {
            this.document = MAPPER.readTree(openApiJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** One exchange seen on the wire. */
    public record Exchange(String method, String path, int status, String contentType, String body) {}

    /** The problems with one exchange; empty when it conforms (or is not a JSON API response). */
    public List<String> check(Exchange exchange) {
        List<String> problems = new ArrayList<>();
        if (exchange.contentType() == null || !exchange.contentType().startsWith("application/json")
                || exchange.path().startsWith("/openapi.json")) {
            return problems; // not an API response (the OpenAPI document describes itself as a raw document)
        }
        String path = exchange.path().replaceAll("\\?.*$", "");
        JsonNode operation = operation(exchange.method(), path);
        String where = exchange.method() + " " + exchange.path() + " → " + exchange.status();
        if (operation == null) {
            if (exchange.status() != 404 && exchange.status() != 405) {
                problems.add(where + ": no such route in /openapi.json");
            }
            return problems;
        }
        JsonNode responses = operation.path("responses");
        JsonNode response = responses.path(Integer.toString(exchange.status()));
        if (response.isMissingNode() && exchange.status() / 100 == 2) {
            // A replay answers 200 where the first call answered 201: the same body, so check against the documented one.
            for (Iterator<String> it = responses.fieldNames(); it.hasNext(); ) {
                String status = it.next();
                if (status.startsWith("2")) {
                    response = responses.path(status);
                    break;
                }
            }
        }
        if (response.isMissingNode()) {
            problems.add(where + ": status not described");
            return problems;
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return problems;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(exchange.body());
        } catch (Exception e) {
            problems.add(where + ": body is not JSON");
            return problems;
        }
        validate(schema, body, "$", problems, where);
        return problems;
    }

    private JsonNode operation(String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String regex = "^" + Pattern.quote(entry.getKey()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (path.matches(regex)) {
                JsonNode operation = entry.getValue().path(method.toLowerCase(java.util.Locale.ROOT));
                return operation.isMissingNode() ? null : operation;
            }
        }
        return null;
    }

    private void validate(JsonNode schema, JsonNode value, String at, List<String> problems, String where) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            validate(document.path("components").path("schemas").path(name), value, at, problems, where);
            return;
        }
        if (schema.has("anyOf")) {
            for (JsonNode option : schema.get("anyOf")) {
                List<String> attempt = new ArrayList<>();
                validate(option, value, at, attempt, where);
                if (attempt.isEmpty()) {
                    return;
                }
            }
            problems.add(where + ": " + at + " matches none of " + schema.get("anyOf"));
            return;
        }
        JsonNode type = schema.path("type");
        if (!type.isMissingNode() && !typeMatches(type, value)) {
            problems.add(where + ": " + at + " is " + value.getNodeType() + " but the schema says " + type);
            return;
        }
        if (schema.has("enum") && !value.isNull()) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                problems.add(where + ": " + at + " = " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(where + ": " + at + "." + required.asText() + " is required but missing");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (properties.has(field.getKey())) {
                    validate(properties.get(field.getKey()), field.getValue(), at + "." + field.getKey(), problems, where);
                } else if (schema.has("additionalProperties")) {
                    validate(schema.get("additionalProperties"), field.getValue(), at + "." + field.getKey(), problems, where);
                } else if (properties.size() > 0) {
                    problems.add(where + ": " + at + "." + field.getKey() + " is not described");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.get("items"), value.get(i), at + "[" + i + "]", problems, where);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }
}
