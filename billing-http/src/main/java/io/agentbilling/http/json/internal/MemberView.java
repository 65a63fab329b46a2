package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import java.time.Instant;

/** A member of an organization. */
public record MemberView(
        MemberId id,
        OrgId orgId,
        @JsonPropertyDescription("null when none was given") String email,
        @JsonPropertyDescription("admin or member") String role,
        Instant createdAt,
        @JsonPropertyDescription("true when an earlier call with the same idempotency key added this member")
        boolean replayed) {

    public static MemberView of(Member member, boolean replayed) {
        return new MemberView(member.id(), member.orgId(), member.email(), member.role().wireName(),
                member.createdAt(), replayed);
    }
}
