package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.CheckStorageQuota;

/** The answer of the storage gate. */
public record StorageQuotaView(
        boolean allowed,
        @JsonPropertyDescription("The org's plan quota in bytes") long quotaBytes,
        @JsonPropertyDescription("quotaBytes - currentBytes, never negative") long remainingBytes,
        @JsonPropertyDescription("storage_quota_exceeded when refused; null when allowed") String reason) {

    public static StorageQuotaView of(CheckStorageQuota.Result result) {
        return new StorageQuotaView(result.allowed(), result.quotaBytes(), result.remainingBytes(), result.reason());
    }
}
