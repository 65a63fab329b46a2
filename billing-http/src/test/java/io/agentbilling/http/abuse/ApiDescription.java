package io.agentbilling.http.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every route the server registered, read from its {@code /openapi.json} (which the server renders from the route
 * registry, the single source for routing): method, path, access, parameters and the request body's fields. The
 * suites walk this list, so a route added later is attacked without anyone editing them.
 */
record ApiDescription(List<Route> routes) {

    /** A query or path parameter. */
    record Param(String name, String in, String type, String format) {}

    /** A field of a JSON request body. */
    record Field(String name, Set<String> types, String format, boolean required) {
        boolean is(String type) {
            return types.contains(type);
        }
    }

    /** One operation. {@code bodyType} is the request's media type, null when it takes none. */
    record Route(String method, String path, String access, List<Param> params, String bodyType,
                 String bodySchema, List<Field> fields) {
        String key() {
            return method + " " + path;
        }

        List<Param> params(String in) {
            return params.stream().filter(p -> p.in().equals(in)).toList();
        }

        boolean takesJson() {
            return "application/json".equals(bodyType);
        }

        boolean takesForm() {
            return "application/x-www-form-urlencoded".equals(bodyType);
        }

        @Override
        public String toString() {
            return key() + " (" + access + ")";
        }
    }

    static ApiDescription parse(String openApiJson) {
        JsonNode document;
        try {
            document = Json.mapper().readTree(openApiJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode schemas = document.path("components").path("schemas");
        List<Route> routes = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode operation = op.getValue();
            List<Param> params = new ArrayList<>();
            operation.path("parameters").forEach(p -> params.add(new Param(p.path("name").asText(),
                    p.path("in").asText(), p.path("schema").path("type").asText(),
                    p.path("schema").path("format").asText(null))));
            String bodyType = null;
            String bodySchema = null;
            List<Field> fields = new ArrayList<>();
            JsonNode content = operation.path("requestBody").path("content");
            if (content.size() > 0) {
                bodyType = content.fieldNames().next();
                String ref = content.path(bodyType).path("schema").path("$ref").asText("");
                if (ref.startsWith("#/components/schemas/")) {
                    bodySchema = ref.substring("#/components/schemas/".length());
                    JsonNode schema = schemas.path(bodySchema);
                    Set<String> required = new HashSet<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    schema.path("properties").fields().forEachRemaining(f -> {
                        Set<String> types = new HashSet<>();
                        JsonNode type = f.getValue().path("type");
                        if (type.isArray()) {
                            type.forEach(t -> types.add(t.asText()));
                        } else if (type.isTextual()) {
                            types.add(type.asText());
                        }
                        fields.add(new Field(f.getKey(), types, f.getValue().path("format").asText(null),
                                required.contains(f.getKey())));
                    });
                }
            }
            routes.add(new Route(op.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                    operation.path("x-access").asText(), List.copyOf(params), bodyType, bodySchema,
                    List.copyOf(fields)));
        }));
        return new ApiDescription(List.copyOf(routes));
    }

    /** The methods registered at {@code path}. */
    Set<String> methodsAt(String path) {
        Set<String> methods = new HashSet<>();
        routes.stream().filter(r -> r.path().equals(path)).forEach(r -> methods.add(r.method()));
        return methods;
    }
}
