package io.agentbilling.http.server.infrastructure;

import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.JsonSchemas;
import io.agentbilling.http.json.MediaTypes;
import io.agentbilling.http.routes.ApiRoute;
import io.agentbilling.http.routes.ParamDoc;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the OpenAPI 3.1 description served at {@code /openapi.json} from the route registry, the same declarations
 * the server routes and checks access with; a test asserts that every route Javalin serves is described.
 */
final class OpenApiDocument {
    private static final String ERROR_ENVELOPE = "ErrorEnvelope";

    private OpenApiDocument() {
    }

    static Map<String, Object> build(RouteRegistry registry, HttpServerSettings settings) {
        JsonSchemas schemas = new JsonSchemas();
        defineEnvelopes(schemas);
        Map<String, Object> paths = new TreeMap<>();
        for (ApiRoute route : registry.routes()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(),
                    p -> new TreeMap<String, Object>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route, schemas));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of(
                "title", "Agent billing API",
                "version", settings.version(),
                "description", "Prepaid-credit billing for AI-agent platforms. Conventions: every response carries "
                        + "X-Request-Id; success bodies are {data, meta}; errors are {error: {code, message, "
                        + "requestId, details?}}; unknown request fields are rejected with 400; bodies are limited "
                        + "to " + settings.maxBodyBytes() + " bytes. A declined card is 402 payment_declined."));
        document.put("servers", List.of(Map.of("url", settings.publicUrl())));
        document.put("paths", paths);
        document.put("components", Map.of(
                "schemas", schemas.components(),
                "securitySchemes", Map.of(
                        "apiKey", Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"),
                        "bearer", Map.of("type", "http", "scheme", "bearer",
                                "description", "The same API key as a bearer token"),
                        "internalSecret", Map.of("type", "apiKey", "in", "header", "name", "X-Internal-Secret",
                                "description", "A service credential; internal endpoints only"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", settings.sessionCookieName(),
                                "description", "A sign-in session (POST /v1/billing/session), as the billing page "
                                        + "uses it. Used only when no API key is sent; a write made with it needs "
                                        + "the session's CSRF token in the X-CSRF-Token header, else 403"))));
        return document;
    }

    private static Map<String, Object> operation(ApiRoute route, JsonSchemas schemas) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", operationId(route));
        operation.put("summary", route.summary());
        if (!route.description().isEmpty()) {
            operation.put("description", route.description());
        }
        if (!route.tags().isEmpty()) {
            operation.put("tags", route.tags());
        }
        operation.put("x-access", route.access().name().toLowerCase(Locale.ROOT));
        operation.put("security", security(route.access()));
        List<Map<String, Object>> parameters = new ArrayList<>();
        route.pathParams().forEach(p -> parameters.add(parameter(p, "path")));
        route.queryParams().forEach(p -> parameters.add(parameter(p, "query")));
        route.headerParams().forEach(p -> parameters.add(parameter(p, "header")));
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.method().takesBody()) {
            operation.put("requestBody", requestBody(route, schemas));
        }
        operation.put("responses", responses(route, schemas));
        return operation;
    }

    private static Map<String, Object> requestBody(ApiRoute route, JsonSchemas schemas) {
        if (route.bodyFormat() == ApiRoute.BodyFormat.FORM) {
            return Map.of("required", true, "content",
                    Map.of("application/x-www-form-urlencoded", Map.of("schema", Map.of("type", "object"))));
        }
        Map<String, Object> schema = route.requestType() == null ? Map.of("type", "object")
                : schemas.schemaFor(route.requestType());
        return Map.of("required", route.requestType() != null, "content",
                Map.of(MediaTypes.JSON, Map.of("schema", schema)));
    }

    private static Map<String, Object> responses(ApiRoute route, JsonSchemas schemas) {
        Map<String, Object> responses = new TreeMap<>();
        String status = Integer.toString(route.successStatus());
        switch (route.responseKind()) {
            case DATA -> responses.put(status, json("Success", dataEnvelope(route, schemas, false)));
            case LIST -> responses.put(status, json("One page of the list", dataEnvelope(route, schemas, true)));
            case EMPTY -> responses.put(status, Map.of("description", "No content"));
            case RAW -> responses.put(status, Map.of("description", "Success", "content",
                    Map.of(route.rawContentType(), Map.of("schema", Map.of("type", "string")))));
        }
        Map<Integer, List<String>> errorsByStatus = new TreeMap<>();
        for (ErrorCode code : errorCodes(route)) {
            errorsByStatus.computeIfAbsent(code.status(), s -> new ArrayList<>()).add(code.wireCode());
        }
        errorsByStatus.forEach((code, wireCodes) -> responses.put(Integer.toString(code),
                json("error.code: " + String.join(", ", wireCodes), JsonSchemas.ref(ERROR_ENVELOPE))));
        return responses;
    }

    /** The codes a route can answer with: implied by its shape and access, plus what it declares. */
    static Set<ErrorCode> errorCodes(ApiRoute route) {
        Set<ErrorCode> codes = EnumSet.of(ErrorCode.INTERNAL_ERROR, ErrorCode.OVERLOADED, ErrorCode.UNAVAILABLE);
        codes.addAll(route.errors());
        if (!route.pathParams().isEmpty() || !route.queryParams().isEmpty() || route.method().takesBody()) {
            codes.add(ErrorCode.BAD_REQUEST);
        }
        if (route.method().takesBody()) {
            codes.add(ErrorCode.PAYLOAD_TOO_LARGE);
            codes.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        if (route.access() != Access.PUBLIC_NONE) {
            codes.add(ErrorCode.UNAUTHORIZED);
            codes.add(ErrorCode.INVALID_TOKEN);
        }
        if (route.access() == Access.MEMBER || route.access() == Access.ADMIN) {
            codes.add(ErrorCode.FORBIDDEN);
            codes.add(ErrorCode.RATE_LIMITED);
        } else if (route.access() == Access.SESSION && !route.method().name().equals("GET")) {
            codes.add(ErrorCode.FORBIDDEN); // on a write with a session: a missing CSRF token
        }
        return codes;
    }

    private static List<Map<String, Object>> security(Access access) {
        return switch (access) {
            case PUBLIC_NONE -> List.of();
            case MEMBER, ADMIN -> List.of(Map.of("apiKey", List.of()), Map.of("bearer", List.of()),
                    Map.of("session", List.of()));
            case INTERNAL -> List.of(Map.of("internalSecret", List.of()));
            case SESSION -> List.of(Map.of("session", List.of()));
        };
    }

    private static Map<String, Object> dataEnvelope(ApiRoute route, JsonSchemas schemas, boolean list) {
        Map<String, Object> item = route.responseType() == null ? Map.of("type", "object")
                : schemas.schemaFor(route.responseType());
        Map<String, Object> data = list ? Map.of("type", "array", "items", item) : item;
        return Map.of("type", "object", "required", List.of("data", "meta"), "properties",
                Map.of("data", data, "meta", JsonSchemas.ref(list ? "ListMeta" : "Meta")));
    }

    private static void defineEnvelopes(JsonSchemas schemas) {
        schemas.define("Meta", Map.of("type", "object", "required", List.of("requestId"),
                "properties", Map.of("requestId", Map.of("type", "string"))));
        schemas.define("ListMeta", Map.of("type", "object", "required", List.of("requestId", "hasMore", "nextCursor"),
                "properties", Map.of(
                        "requestId", Map.of("type", "string"),
                        "hasMore", Map.of("type", "boolean"),
                        "nextCursor", Map.of("type", List.of("string", "null"),
                                "description", "Opaque; pass as ?cursor= for the next page. null on the last page"))));
        Map<String, Object> fieldIssue = schemas.schemaFor(FieldIssue.class);
        schemas.define(ERROR_ENVELOPE, Map.of("type", "object", "required", List.of("error"),
                "properties", Map.of("error", Map.of(
                        "type", "object",
                        "required", List.of("code", "message", "requestId"),
                        "properties", Map.of(
                                "code", Map.of("type", "string", "enum", List.of(ErrorCode.values()).stream()
                                        .map(ErrorCode::wireCode).collect(Collectors.toList())),
                                "message", Map.of("type", "string"),
                                "requestId", Map.of("type", "string"),
                                "details", Map.of("type", "array", "items", fieldIssue))))));
    }

    private static Map<String, Object> parameter(ParamDoc doc, String in) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", doc.type().jsonType());
        if (doc.type().format() != null) {
            schema.put("format", doc.type().format());
        }
        return Map.of("name", doc.name(), "in", in, "required", doc.required() || in.equals("path"),
                "description", doc.description(), "schema", schema);
    }

    private static Map<String, Object> json(String description, Map<String, Object> schema) {
        return Map.of("description", description, "content", Map.of(MediaTypes.JSON, Map.of("schema", schema)));
    }

    private static String operationId(ApiRoute route) {
        String path = route.path().replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
        return route.method().name().toLowerCase(Locale.ROOT) + path.replaceAll("_$", "");
    }
}
