package io.agentbilling.http.support;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The calls a test makes to the server it started, all through that server's {@link TestClient}: what
 * {@link TestApplication} and {@link TestServer} share, so that neither has a client of its own.
 */
public interface ServerCalls {
    /** The client bound to this server. */
    TestClient client();

    default URI uri(String path) {
        return client().uri(path);
    }

    default Answer get(String path, String... headers) {
        return client().get(path, headers);
    }

    default Answer post(String path, String json, String... headers) {
        return client().post(path, json, headers);
    }

    default Answer put(String path, String json, String... headers) {
        return client().put(path, json, headers);
    }

    default Answer delete(String path, String... headers) {
        return client().delete(path, headers);
    }

    default Answer internalGet(String path, String... headers) {
        return client().internalGet(path, headers);
    }

    default Answer internalPost(String path, String json, String... headers) {
        return client().internalPost(path, json, headers);
    }

    /** {@code body} (null: none) with this content type (null: no header). */
    default Answer send(String method, String path, String contentType, byte[] body, String... headers) {
        return client().send(method, path, contentType, body, headers);
    }

    default Answer send(HttpRequest.Builder request, String... headers) {
        return client().send(request, headers);
    }
}
