package io.agentbilling.bench;

/**
 * A server the workloads are driven against (ours or the naive baseline): where it listens and the headers that
 * authenticate an internal call. Immutable.
 */
record Target(String name, String host, int port, String[] internalHeaders) {
    Target {
        internalHeaders = internalHeaders.clone();
    }

    HttpConnection connect() {
        return new HttpConnection(host, port);
    }

    byte[] postInternal(String path, String json) {
        return HttpConnection.request("POST", host + ":" + port, path, internalHeaders, json);
    }

    byte[] get(String path, String... headers) {
        return HttpConnection.request("GET", host + ":" + port, path, headers, null);
    }
}
