package io.agentbilling.client.service;

/**
 * The storage gate's answer.
 *
 * @param remainingBytes quota minus current bytes, never negative
 * @param reason         {@code storage_quota_exceeded} when refused; null when allowed
 */
public record StorageQuota(boolean allowed, long quotaBytes, long remainingBytes, String reason) {
}
