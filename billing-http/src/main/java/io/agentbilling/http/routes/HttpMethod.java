package io.agentbilling.http.routes;

/** The methods a route may have. HEAD is answered for every GET route; OPTIONS is not served. */
public enum HttpMethod {
    GET, POST, PUT, PATCH, DELETE;

    /** Methods whose requests carry a body, whose content type the server checks. */
    public boolean takesBody() {
        return this == POST || this == PUT || this == PATCH;
    }
}
