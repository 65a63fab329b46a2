package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;

/** Adds a member to an organization (internal API). Thread-safe. */
public final class AddMember {
    public static final int MAX_EMAIL_CHARS = 254;
    /** A shape check only (one @, something on each side, a dot in the domain, no spaces); mail proves the rest. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final Transactions transactions;
    private final Clock clock;
    private final IdGenerator ids;

    public AddMember(Transactions transactions, Clock clock, IdGenerator ids) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** @param email optional (null) */
    public record Command(OrgId orgId, String email, Role role) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            if (role == null) {
                throw BillingException.invalid("role", "is required");
            }
            if (email != null && (email.length() > MAX_EMAIL_CHARS || !EMAIL.matcher(email).matches())) {
                throw BillingException.invalid("email", "is not an email address");
            }
            Commands.requireStorableText("email", email);
        }
    }

    public Member execute(Command command) {
        return transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(command.orgId()).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            Member member = new Member(new MemberId(ids.newId()), command.orgId(), command.email(), command.role(),
                    clock.instant());
            stores.directory().insertMember(member);
            return member;
        });
    }
}
