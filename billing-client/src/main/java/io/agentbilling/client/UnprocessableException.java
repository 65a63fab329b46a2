package io.agentbilling.client;

/** 422 {@code unprocessable}, {@code unknown_model}, {@code payment_method_required}: well-formed, but not acceptable (an unknown model or sandbox size, a member of another org, auto top-up without a saved card). */
public final class UnprocessableException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    public UnprocessableException(Answered answer) {
        super(answer);
    }
}
