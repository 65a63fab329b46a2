package io.agentbilling.client;

import java.time.Duration;
import java.util.List;

/**
 * The server answered with an error (the error envelope of the API: {@code code}, {@code message},
 * {@code requestId}, {@code details}). Each status the API documents has a subclass, so a caller can catch what it
 * handles: {@link InvalidRequestException} 400, {@link AuthenticationException} 401,

 * {@link PaymentDeclinedException} 402 ({@link InsufficientCreditException} for an admission refused for credit), {@link PermissionDeniedException} 403, {@link NotFoundException} 404,
 * {@link ConflictException} 409, {@link UnprocessableException} 422, {@link RateLimitedException} 429,
 * {@link ServiceUnavailableException} 503, {@link ServerErrorException} other 5xx; any other status is this class.
 */
public class BillingApiException extends BillingClientException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * Creates a billing API exception.
     */
    protected BillingApiException(Answered answer) {
        super(answer.message(), answer.code(), answer.status(), answer.requestId(), answer.details(),
                answer.idempotencyKey(), answer.attempts(), null);
        this.retryAfter = answer.retryAfter();
    }

    /**
     * The server's {@code Retry-After}, when it sent one (429, 503); null otherwise.
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** What an error answer carried, in one value; the subclasses' constructors take it. */
    public record Answered(int status, String code, String message, String requestId, List<FieldIssue> details,
                           Duration retryAfter, String idempotencyKey, int attempts) {
    }

    /**
     * The exception for an error answer: the subclass of its status.
     */
    public static BillingApiException of(Answered answer) {
        return switch (answer.status()) {
            case 400 -> new InvalidRequestException(answer);
            case 401 -> new AuthenticationException(answer);
            case 402 -> "insufficient_credit".equals(answer.code()) ? new InsufficientCreditException(answer)
                    : new PaymentDeclinedException(answer);
            case 403 -> new PermissionDeniedException(answer);
            case 404 -> new NotFoundException(answer);
            case 409 -> new ConflictException(answer);
            case 422 -> new UnprocessableException(answer);
            case 429 -> new RateLimitedException(answer);
            case 503 -> new ServiceUnavailableException(answer);
            default -> answer.status() >= 500 ? new ServerErrorException(answer) : new BillingApiException(answer);
        };
    }
}
