package io.agentbilling.http.routes;

/** The type of a query, path or header parameter, for the OpenAPI description. */
public enum ParamType {
    STRING("string", null),
    INTEGER("integer", "int64"),
    BOOLEAN("boolean", null),
    UUID("string", "uuid"),
    TIMESTAMP("string", "date-time");

    private final String jsonType;
    private final String format;

    ParamType(String jsonType, String format) {
        this.jsonType = jsonType;
        this.format = format;
    }

    public String jsonType() {
        return jsonType;
    }

    /** The JSON Schema {@code format}, or {@code null}. */
    public String format() {
        return format;
    }
}
