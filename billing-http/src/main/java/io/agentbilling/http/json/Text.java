package io.agentbilling.http.json;

import io.agentbilling.core.usecase.Commands;

/**
 * The rule for text a request may carry (body strings, query parameters): the core's rule for text it can store
 * ({@link Commands#textProblem}), applied to every string as it is read, so that a NUL character or an unpaired
 * surrogate is a 400 naming its field wherever it appears, even in a field the core never stores. Stateless.
 */
public final class Text {
    private Text() {
    }

    /** What is wrong with {@code value}, or {@code null} when it may be stored as it is. */
    public static String problem(String value) {
        return Commands.textProblem(value);
    }
}
