package io.agentbilling.core.error;

import java.util.Objects;

/** One invalid input field, rendered as {@code {"field": …, "issue": …}} in the error envelope. */
public record FieldIssue(String field, String issue) {
    /**
     * @param field the request field this is about, named in a refusal
     * @param issue what is wrong with it
     */
    public FieldIssue {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(issue, "issue");
    }
}
