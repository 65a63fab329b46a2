package io.agentbilling.http.browser;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The real server for browser tests. Its public URL must be the address the browser uses — the local checkout's
 * links and the top-up's allowed return origin derive from it — so a free port is picked first and configured.
 */
final class PageServer {
    private PageServer() {
    }

    static TestApplication start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String origin = "http://127.0.0.1:" + port;
        return new TestApplication(Map.of(ServerConfig.PORT, Integer.toString(port), ServerConfig.PUBLIC_URL, origin,
                ServerConfig.ALLOWED_REDIRECT_ORIGINS, origin));
    }

    static String baseUrl(TestApplication app) {
        return "http://127.0.0.1:" + app.app.port();
    }
}
