package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts requests in one transaction when they all go through, and keeps a failure to the requests that cause it when
 * they do not. The posting engine refuses a request on its own (unknown org, key conflict) without failing the
 * transaction; this covers everything else: a posting the ledger cannot take (its totals would leave 64 bits), a value
 * the database refuses that the engine let through (a bug), any exception. A failed transaction is split in halves
 * and each half tried again, down to the single request at fault, which is refused with its own error while every
 * other request commits. One bad request among {@code n} costs about {@code 2 log2 n} extra transactions; a batch
 * without failures costs one, as before.
 *
 * <p>The halves commit in request order, so an idempotency key repeated across them behaves as if the requests came
 * one after another (the second replays the first, or conflicts). A database that is unavailable fails the whole
 * call when nothing has been committed yet (the caller retries everything with the same keys); once halves have
 * committed, the requests of a half that then meets an unavailable database are refused {@code UNAVAILABLE} on their
 * own, so no caller loses the result of what did commit. Stateless.
 */
final class IsolatedPosting {
    private IsolatedPosting() {}

    /** One result per request, in order; throws only when the database is unavailable before anything committed. */
    static List<PostingEngine.Result> post(Transactions transactions, PostingEngine engine,
                                           List<PostingEngine.Request> requests) {
        try {
            return transactions.inTransaction(stores -> engine.post(stores, requests));
        } catch (BillingException e) {
            if (e.error() == BillingError.UNAVAILABLE) {
                throw e;
            }
            return isolate(transactions, engine, requests, e);
        } catch (RuntimeException e) {
            return isolate(transactions, engine, requests, e);
        }
    }

    private static List<PostingEngine.Result> isolate(Transactions transactions, PostingEngine engine,
                                                      List<PostingEngine.Request> requests, RuntimeException failure) {
        if (requests.size() == 1) {
            return List.of(PostingEngine.Result.refused(asRefusal(failure)));
        }
        int half = requests.size() / 2;
        List<PostingEngine.Result> results = new ArrayList<>(requests.size());
        results.addAll(postPart(transactions, engine, requests.subList(0, half)));
        results.addAll(postPart(transactions, engine, requests.subList(half, requests.size())));
        return results;
    }

    /** Like {@link #post}, but an unavailable database refuses this part's requests instead of failing the call. */
    private static List<PostingEngine.Result> postPart(Transactions transactions, PostingEngine engine,
                                                       List<PostingEngine.Request> part) {
        try {
            return transactions.inTransaction(stores -> engine.post(stores, part));
        } catch (BillingException e) {
            if (e.error() == BillingError.UNAVAILABLE) {
                PostingEngine.Result unavailable = PostingEngine.Result.refused(e);
                return part.stream().map(r -> unavailable).toList();
            }
            return isolate(transactions, engine, part, e);
        } catch (RuntimeException e) {
            return isolate(transactions, engine, part, e);
        }
    }

    /**
     * A refusal the core decided keeps its kind (a 422 for a ledger that cannot take the amount); anything else is
     * a failure nobody foresaw, refused as an internal error with the original kept as its cause for the log.
     */
    private static BillingException asRefusal(RuntimeException failure) {
        if (failure instanceof BillingException refused) {
            return refused;
        }
        return BillingException.of(BillingError.INTERNAL, "the settlement could not be recorded", failure);
    }
}
