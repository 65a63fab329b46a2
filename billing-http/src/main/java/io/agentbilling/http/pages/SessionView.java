package io.agentbilling.http.pages;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import java.time.Instant;

/** A sign-in session, as {@code POST} and {@code GET /v1/billing/session} answer it. */
@JsonClassDescription("The signed-in member and the session's CSRF token")
public record SessionView(
        OrgId orgId,
        MemberId memberId,
        @JsonPropertyDescription("admin or member: the same roles as the API") String role,
        @JsonPropertyDescription("When the session ends at the latest (it also ends at sign-out and when the API key "
                + "it was opened with is revoked or expires)") Instant expiresAt,
        @JsonPropertyDescription("Send it as X-CSRF-Token on every change made with this session") String csrfToken) {

    static SessionView of(Caller caller, Instant expiresAt, String csrfToken) {
        return new SessionView(caller.orgId(), caller.memberId(), caller.role().wireName(), expiresAt, csrfToken);
    }
}
