package io.agentbilling.core.error;

import java.util.Objects;

/** One invalid input field, rendered as {@code {"field": …, "issue": …}} in the error envelope. */
public record FieldIssue(String field, String issue) {
    public FieldIssue {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(issue, "issue");
    }
}
