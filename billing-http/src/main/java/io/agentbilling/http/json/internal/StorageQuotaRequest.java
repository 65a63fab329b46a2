package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CheckStorageQuota;

/** {@code POST /v1/internal/billing/storage/quota}. */
public record StorageQuotaRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) String workspaceId,
        @JsonPropertyDescription("What the org's workspaces hold now, in bytes") long currentBytes,
        @JsonPropertyDescription("What the workspace wants to write on top, in bytes") long requestedBytes) {

    public CheckStorageQuota.Command toCommand() {
        return new CheckStorageQuota.Command(orgId, workspaceId, currentBytes, requestedBytes);
    }
}
