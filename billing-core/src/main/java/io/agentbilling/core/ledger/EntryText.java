package io.agentbilling.core.ledger;

/**
 * The words of a ledger entry, kept together so they never travel as three loose strings: what was charged, a line a
 * person reads, and the caller's reference. Each is text, never null (absent is empty).
 *
 * @param resource    what was charged ({@code model}, {@code sandbox}, {@code storage}, {@code tool}, a resource name);
 *                    empty for credits
 * @param description the line shown in the credit history
 * @param referenceId the caller's reference (checkout session, payment intent, usage request id, workspace); may be
 *                    empty
 */
public record EntryText(String resource, String description, String referenceId) {
    /** No text at all. */
    public static final EntryText NONE = new EntryText("", "", "");

    /**
     * @param description the line shown in the credit history
     * @param referenceId the caller's reference (checkout session, payment intent, usage request id, workspace);
     *     may be empty
     * @param resource what was charged ({@code model}, {@code sandbox}, {@code storage}, {@code tool}, a resource
     *     name); empty for credits
     */
    public EntryText {
        resource = resource == null ? "" : resource;
        description = description == null ? "" : description;
        referenceId = referenceId == null ? "" : referenceId;
    }

    /**
     * The text of a credit or correction: a description only.
     *
     * @param description the line shown in the credit history
     * @return text without resource or reference
     */
    public static EntryText described(String description) {
        return new EntryText("", description, "");
    }

    /**
     * The text of a charge for a resource.
     *
     * @param resource    what was charged
     * @param description the line shown in the credit history
     * @return text without reference (add one with {@link #withReference})
     */
    public static EntryText charge(String resource, String description) {
        return new EntryText(resource, description, "");
    }

    /**
     * This text with the caller's reference.
     *
     * @param referenceId the reference; null or empty for none
     * @return a copy naming the reference
     */
    public EntryText withReference(String referenceId) {
        return new EntryText(resource, description, referenceId);
    }
}
