package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.QuoteSandboxRuntime;

/** {@code POST /v1/internal/billing/sandbox-runtime/quote}. */
public record SandboxQuoteRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonPropertyDescription("A sandbox size of the catalog (small, medium, …)") @JsonProperty(required = true)
        String size,
        @JsonPropertyDescription("The runtime to quote, at least 1; absent: just the price and the affordable "
                + "seconds") Long seconds) {

    public QuoteSandboxRuntime.Command toCommand() {
        return new QuoteSandboxRuntime.Command(orgId, size, seconds);
    }
}
