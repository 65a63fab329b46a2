package io.agentbilling.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Stripe exception into what the core understands. Stateless.
 *
 * <ul>
 *   <li>unreachable, timed out, 5xx, 409, rate limited: {@code PAYMENT_PROVIDER_ERROR} (retry with the same key);</li>
 *   <li>idempotency error: our key derivation reused a key for other parameters, a bug; logged at ERROR and
 *       surfaced as {@code PAYMENT_PROVIDER_ERROR} so that nothing is recorded as paid or failed;</li>
 *   <li>invalid request, authentication, permission: {@link IllegalStateException}, our bug or our configuration;</li>
 *   <li>a card error where no card is charged: {@code PAYMENT_DECLINED}.</li>
 * </ul>
 * The Stripe request id is in every log line and every message, so that an operator can find the call in the
 * Stripe dashboard. Messages never contain keys.
 */
final class StripeErrors {
    private static final Logger log = LoggerFactory.getLogger(StripeErrors.class);

    private StripeErrors() {}

    static RuntimeException translate(String operation, StripeException e) {
        String summary = summary(operation, e);
        if (e instanceof IdempotencyException) {
            log.error("BUG: Stripe rejected an idempotency key reused with other parameters; {}", summary, e);
            return BillingException.of(BillingError.PAYMENT_PROVIDER_ERROR,
                    "the payment provider refused a reused idempotency key (" + summary + ")", e);
        }
        if (e instanceof ApiConnectionException || e instanceof ApiException || e instanceof RateLimitException) {
            log.warn("Stripe unavailable; {}", summary, e);
            return BillingException.of(BillingError.PAYMENT_PROVIDER_ERROR,
                    "the payment provider could not be reached or failed (" + summary + ")", e);
        }
        if (e instanceof AuthenticationException || e instanceof InvalidRequestException) {
            log.error("Stripe refused a request we built; check the key, the account and the parameters; {}",
                    summary, e);
            return new IllegalStateException("Stripe refused the request: " + summary, e);
        }
        if (e instanceof CardException) {
            log.info("Stripe card error; {}", summary);
            return BillingException.of(BillingError.PAYMENT_DECLINED, "the card was declined (" + summary + ")", e);
        }
        log.warn("Unexpected Stripe error; {}", summary, e);
        return BillingException.of(BillingError.PAYMENT_PROVIDER_ERROR,
                "the payment provider failed (" + summary + ")", e);
    }

    /** One line naming the operation, the error kind, its code, HTTP status and Stripe request id. */
    static String summary(String operation, StripeException e) {
        StringBuilder line = new StringBuilder(operation).append(": ").append(e.getClass().getSimpleName());
        if (e.getStatusCode() != null && e.getStatusCode() > 0) {
            line.append(" status=").append(e.getStatusCode());
        }
        if (e.getCode() != null) {
            line.append(" code=").append(e.getCode());
        }
        if (e instanceof CardException card && card.getDeclineCode() != null) {
            line.append(" decline_code=").append(card.getDeclineCode());
        }
        line.append(" request_id=").append(e.getRequestId());
        return line.toString();
    }
}
