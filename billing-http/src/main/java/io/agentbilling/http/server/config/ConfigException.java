package io.agentbilling.http.server.config;

import java.util.List;

/** The environment does not describe a valid configuration; the message lists every problem found. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** A failure listing {@code problems}, one line each. */
    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
