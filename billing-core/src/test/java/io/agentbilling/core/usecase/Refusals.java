package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on refusals: by error code (and field), never by message. */
final class Refusals {
    private Refusals() {}

    static void assertRefused(ThrowingCallable call, BillingError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }

    /** A 422: well-formed, but a value the engine cannot accept (a time outside its window), naming the field. */
    static void assertUnprocessable(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(BillingError.UNPROCESSABLE);
            assertThat(e.details()).extracting(FieldIssue::field).containsExactly(field);
        });
    }

    static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(BillingError.BAD_REQUEST);
            assertThat(e.details()).extracting(FieldIssue::field).containsExactly(field);
        });
    }
}
