package io.agentbilling.core.port;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Sandbox runtime meters (start, heartbeat, settle), one per sandbox id. Obtained from {@link Stores} inside a
 * {@link Transactions} unit of work; every method joins that transaction. Use cases always lock a meter before the
 * org's account, so the two kinds of lock are taken in one order.
 */
public interface SandboxMeterStore {

    /**
     * Inserts the meter unless one with its sandbox id exists — atomically (a unique constraint, not a read first).
     *
     * @return true when inserted; false when the sandbox id was taken (the stored meter is left as it was)
     */
    boolean insertIfAbsent(SandboxMeter meter);

    /**
     * The meter of a sandbox, read without locking.
     *
     * @param sandboxId the sandbox
     * @return the sandbox meter, or empty when there is none
     */
    Optional<SandboxMeter> find(String sandboxId);

    /**
     * The meter of a sandbox, locked for the rest of the transaction (concurrent settlements queue up).
     *
     * @param sandboxId the sandbox
     * @return the sandbox meter, or empty when there is none
     */
    Optional<SandboxMeter> findForUpdate(String sandboxId);

    /**
     * Stores a new state of an existing meter (heartbeat, settled time and counters, status); the sandbox id, org,
     * member, size and start never change. Fails if the meter does not exist.
     */
    void update(SandboxMeter meter);

    /**
     * An org's ACTIVE and PENDING meters (only {@code member}'s when not null), in sandbox id order (by code point,
     * i.e. {@code COLLATE "C"} in SQL).
     *
     * @param orgId the organization
     */
    List<SandboxMeter> openMeters(OrgId orgId, MemberId member);

    /**
     * Meters in one of {@code statuses} whose last heartbeat is strictly before {@code before}, oldest heartbeat
     * first (ties by sandbox id, by code point), at most {@code limit}. For the sweeper; read without locking.
     *
     * @param before the instant (exclusive)
     * @param limit at most this many
     */
    List<SandboxMeter> silentSince(Collection<MeterStatus> statuses, Instant before, int limit);
}
