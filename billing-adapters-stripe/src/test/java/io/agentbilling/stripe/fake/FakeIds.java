package io.agentbilling.stripe.fake;

import java.util.concurrent.ThreadLocalRandom;

/** Stripe-looking ids ({@code cs_test_…}, {@code pi_…}): a prefix, a sequence number and random letters. */
final class FakeIds {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private FakeIds() {}

    static String next(String prefix, long sequence) {
        StringBuilder id = new StringBuilder(prefix).append(prefix.equals("cs") ? "_test_" : "_")
                .append("Fk").append(sequence);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 14; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
