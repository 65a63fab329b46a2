package io.agentbilling.http.routes;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The request id every response carries in {@code X-Request-Id} and in its envelope. A caller's own id is echoed when
 * it is sane (1-64 characters of {@code [A-Za-z0-9._-]}), so it can correlate; otherwise one is generated.
 * Thread-safe.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int RANDOM_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    /** The id of this request (assigned when it arrived). */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : assign(ctx);
    }

    /** Server use: fixes the id of a request as it arrives and sets the response header. */
    public static String assign(Context ctx) {
        String existing = ctx.attribute(ATTRIBUTE);
        if (existing != null) {
            return existing;
        }
        String offered = ctx.header(HEADER);
        String id = offered != null && SANE.matcher(offered).matches() ? offered : generate();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    /** {@code req_} followed by 24 random letters and digits. */
    public static String generate() {
        char[] id = new char[RANDOM_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "req_" + new String(id);
    }
}
