package io.agentbilling.http.server.infrastructure;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.errors.ErrorResponses;
import io.agentbilling.http.json.Envelopes;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.MediaTypes;
import io.agentbilling.http.routes.RequestIds;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request line it cannot parse, headers too large, a URI it refuses) in our envelope
 * instead of Jetty's HTML page. Such requests never reach Javalin, so the request id is always a fresh one.
 */
final class JsonJettyErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException httpException) {
            status = httpException.getCode();
            response.setStatus(status);
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            response.setStatus(status);
        }
        String requestId = RequestIds.generate();
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        byte[] body = Json.write(new Envelopes.Error(new Envelopes.ErrorBody(
                code.wireCode(), ErrorResponses.defaultMessage(code), requestId, List.of()))).getBytes(UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaTypes.JSON_UTF8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
