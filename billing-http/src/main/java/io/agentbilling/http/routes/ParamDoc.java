package io.agentbilling.http.routes;

import java.util.Objects;

/** The description of one query, path or header parameter of a route. */
public record ParamDoc(String name, ParamType type, boolean required, String description) {
    public ParamDoc {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }
}
