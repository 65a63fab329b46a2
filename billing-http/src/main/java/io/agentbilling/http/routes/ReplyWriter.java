package io.agentbilling.http.routes;

import io.agentbilling.http.json.Envelopes;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Renders a {@link Reply} as the success envelope. */
final class ReplyWriter {
    private ReplyWriter() {
    }

    static void write(Context ctx, Reply reply, int routeStatus) {
        if (reply == null) {
            throw new IllegalStateException("a route handler returned no reply: " + ctx.method() + " " + ctx.path());
        }
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            ctx.header(header.getKey(), header.getValue());
        }
        int status = reply.status() == Reply.ROUTE_DEFAULT_STATUS ? routeStatus : reply.status();
        String requestId = RequestIds.of(ctx);
        switch (reply.kind()) {
            case DATA -> ctx.status(status).json(new Envelopes.Data(reply.data(), new Envelopes.Meta(requestId)));
            case LIST -> ctx.status(status).json(new Envelopes.ListData((List<?>) reply.data(),
                    new Envelopes.ListMeta(requestId, reply.hasMore(), reply.nextCursor())));
            case EMPTY -> ctx.status(204);
        }
    }
}
