package io.agentbilling.client;

/**
 * One field the server refused, as in the error envelope's {@code details}: {@code field} names it (relative to the
 * event for a usage batch) and {@code issue} says what is wrong.
 */
public record FieldIssue(String field, String issue) {
}
