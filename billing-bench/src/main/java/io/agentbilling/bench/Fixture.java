package io.agentbilling.bench;

import java.util.List;

/**
 * The orgs the workloads settle against: each with the member that usage is attributed to. The same ids are loaded
 * into the naive baseline's tables, so both servers see the same request bodies.
 *
 * @param manyOrgs   the uniform many-orgs population
 * @param hotOrg     the one org every hot-org settlement goes to
 * @param usageOrg   the org that receives ≥ 1 000 000 events for the report, with several members
 * @param usageKey   an admin API key of {@code usageOrg}, for {@code my-usage}
 * @param readers    API keys of members of the first many-orgs orgs, for the public reads
 */
record Fixture(List<Org> manyOrgs, Org hotOrg, Org usageOrg, List<String> usageMembers, String usageKey,
               List<Reader> readers) {
    record Org(String orgId, String memberId) {}

    /** A member's API key (role {@code member}: what any member's client sends on a public read). */
    record Reader(String orgId, String apiKey) {}
}
