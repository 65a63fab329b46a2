package io.agentbilling.core.settlement.internal;

import java.util.List;

/**
 * Where settlement use cases send their postings: straight into a transaction of their own
 * ({@link DirectSettler}), or through a queue that coalesces concurrent callers into one transaction per batch
 * ({@link GroupCommitSettler}). Either way each request gets its own result, and a result is returned only after its
 * transaction committed.
 */
public interface Settler {

    /**
     * Settles the requests (in order) and returns one result per request.
     */
    List<PostingEngine.Result> settle(List<PostingEngine.Request> requests);

    /**
     * @return the posting engine.result
     */
    default PostingEngine.Result settle(PostingEngine.Request request) {
        return settle(List.of(request)).get(0);
    }
}
