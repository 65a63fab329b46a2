package io.agentbilling.client.billing;

/** The period of a usage report: whole UTC days, {@code to} exclusive. */
public enum UsagePeriod {
    /** The current calendar month (the server's default). */
    CURRENT("current"),
    /** Today and the 6 days before. */
    LAST_7_DAYS("7d"),
    /** Today and the 29 days before. */
    LAST_30_DAYS("30d"),
    /** Since the organization's creation day. */
    ALL_TIME("all_time");

    private final String wireName;

    UsagePeriod(String wireName) {
        this.wireName = wireName;
    }

    /**
     * As the API spells it: {@code current}, {@code 7d}, {@code 30d}, {@code all_time}.
     */
    public String wireName() {
        return wireName;
    }
}
