package io.agentbilling.http.pages;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The body of {@code POST /v1/billing/session}. */
@JsonClassDescription("Sign in with an API key; the answer sets the session cookie")
public record SignInRequest(
        @JsonPropertyDescription("An API key of the member signing in (rt_live_… or rt_test_…); it is not stored "
                + "and not sent again") @JsonProperty(required = true) String apiKey) {

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SignInRequest[apiKey=***]";
    }
}
