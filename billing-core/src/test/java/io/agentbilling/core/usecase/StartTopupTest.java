package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.usecase.PaymentsWorld.OrgFixture;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartTopupTest {
    private final PaymentsWorld world = new PaymentsWorld();
    private final OrgFixture org = world.newOrg("Acme");

    @Test
    void opens_a_checkout_for_exactly_the_amount_tied_to_the_org_and_credits_nothing() {
        StartTopup.Result result = start(2_500);

        CheckoutSession session = world.gateway.session(result.sessionId());
        assertThat(session.amountCents()).isEqualTo(2_500);
        assertThat(session.orgId()).isEqualTo(org.id());
        assertThat(result.checkoutUrl()).isEqualTo(session.checkoutUrl());
        assertThat(result.replayed()).isFalse();
        assertThat(world.entries(org.id())).isEmpty();
        Optional<CheckoutRecord> record = world.checkout(result.sessionId());
        assertThat(record).get().satisfies(r -> {
            assertThat(r.orgId()).isEqualTo(org.id());
            assertThat(r.amountCents()).isEqualTo(2_500);
        });
    }

    @Test
    void the_amount_must_be_at_least_500_cents() {
        assertBadRequest(() -> start(499), "amountCents");
        assertThat(start(500).amountCents()).isEqualTo(500);
    }

    @Test
    void the_amount_must_be_at_most_the_default_maximum() {
        assertThat(start(1_000_000).amountCents()).isEqualTo(1_000_000);
        assertBadRequest(() -> start(1_000_001), "amountCents");
    }

    @Test
    void the_maximum_is_configurable() {
        PaymentsWorld small = new PaymentsWorld(10_000, AutoTopupPolicy.defaults());
        OrgFixture acme = small.newOrg("Small");

        assertThat(small.startTopup.execute(command(acme, 10_000, null, null, null)).amountCents()).isEqualTo(10_000);
        assertBadRequest(() -> small.startTopup.execute(command(acme, 10_001, null, null, null)), "amountCents");
    }

    @Test
    void only_an_admin_may_top_up_and_only_their_own_org() {
        OrgFixture other = world.newOrg("Other");

        assertError(() -> world.startTopup.execute(StartTopup.Command.builder()
                .caller(org.member()).amountCents(500).build()),
                BillingError.FORBIDDEN);
        assertError(() -> world.startTopup.execute(StartTopup.Command.builder()
                .caller(org.admin()).orgId(other.id()).amountCents(500).build()), BillingError.FORBIDDEN);
        assertThat(world.gateway.checkoutCalls()).isZero();
    }

    @Test
    void without_urls_the_configured_defaults_are_used_with_the_session_parameter() {
        StartTopup.Result result = start(500);

        assertThat(world.gateway.checkoutRequests().get(0).cancelUrl()).isEqualTo(PaymentsWorld.APP + "/billing");
        assertThat(successUrlOf(null)).isEqualTo(PaymentsWorld.APP
                + "/billing/success?session_id={CHECKOUT_SESSION_ID}");
    }

    @Test
    void the_session_parameter_respects_an_existing_query_and_fragment() {
        assertThat(successUrlOf("https://app.example.com/done")).isEqualTo(
                "https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}");
        assertThat(successUrlOf("https://app.example.com/done?tab=billing")).isEqualTo(
                "https://app.example.com/done?tab=billing&session_id={CHECKOUT_SESSION_ID}");
        assertThat(successUrlOf("https://app.example.com/done?tab=billing#top")).isEqualTo(
                "https://app.example.com/done?tab=billing&session_id={CHECKOUT_SESSION_ID}#top");
        assertThat(successUrlOf("https://app.example.com/done?x={CHECKOUT_SESSION_ID}")).isEqualTo(
                "https://app.example.com/done?x={CHECKOUT_SESSION_ID}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://evil.example.com/done",
            "https://app.example.com.evil.com/done",
            "https://app.example.com@evil.com/done",
            "https://user:pass@app.example.com/done",
            "https://app.example.com:8443/done",
            "http://app.example.com/done",
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://app.example.com/done",
            "//evil.com/done",
            "/relative/path",
            "https://evil.com\\@app.example.com/",
            "https:///app.example.com/done",
            "https://app.example.com/done with space",
            ""
    })
    void a_redirect_outside_the_allow_list_is_refused(String url) {
        assertBadRequest(() -> world.startTopup.execute(command(org, 500, url, null, null)), "successUrl");
        assertBadRequest(() -> world.startTopup.execute(command(org, 500, null, url, null)), "cancelUrl");
        assertThat(world.gateway.checkoutCalls()).isZero();
    }

    @Test
    void allowed_origins_match_whatever_the_case_or_an_explicit_default_port() {
        assertThat(world.startTopup.execute(command(org, 500, "HTTPS://APP.EXAMPLE.COM:443/x", null, null)))
                .isNotNull();
        assertThat(world.startTopup.execute(command(org, 500, null, "http://localhost:3000/billing", null)))
                .isNotNull();
        assertBadRequest(() -> world.startTopup.execute(command(org, 500, null, "http://localhost:3001/billing",
                null)), "cancelUrl");
    }

    @Test
    void the_provider_customer_is_created_once_across_top_ups() {
        start(500);
        start(700);

        assertThat(world.gateway.customersCreated()).isEqualTo(1);
        assertThat(world.gateway.customerCalls()).isEqualTo(1);
        Optional<PaymentProfile> profile = world.profile(org.id());
        assertThat(profile).get().extracting(PaymentProfile::customerId).isNotNull();
        String customer = profile.orElseThrow().customerId();
        assertThat(world.gateway.session(start(900).sessionId()).customerId()).isEqualTo(customer);
    }

    @Test
    void a_customer_stored_by_a_concurrent_request_wins() {
        world.memory.inTransaction(s -> s.payments().saveCustomerIfAbsent(org.id(), "cus_winner",
                world.clock.instant()));

        StartTopup.Result result = start(500);

        assertThat(world.gateway.session(result.sessionId()).customerId()).isEqualTo("cus_winner");
        assertThat(world.gateway.customerCalls()).isZero();
    }

    @Test
    void a_retry_with_the_same_idempotency_key_returns_the_same_session() {
        StartTopup.Result first = world.startTopup.execute(command(org, 2_500, null, null, "key-1"));
        StartTopup.Result again = world.startTopup.execute(command(org, 2_500, null, null, "key-1"));

        assertThat(again.sessionId()).isEqualTo(first.sessionId());
        assertThat(again.checkoutUrl()).isEqualTo(first.checkoutUrl());
        assertThat(again.replayed()).isTrue();
        assertThat(world.gateway.sessionsCreated()).isEqualTo(1);
    }

    @Test
    void the_same_idempotency_key_with_another_amount_is_a_conflict() {
        world.startTopup.execute(command(org, 2_500, null, null, "key-1"));

        assertError(() -> world.startTopup.execute(command(org, 3_000, null, null, "key-1")),
                BillingError.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void idempotency_keys_are_scoped_per_org() {
        OrgFixture other = world.newOrg("Other");

        StartTopup.Result mine = world.startTopup.execute(command(org, 2_500, null, null, "key-1"));
        StartTopup.Result theirs = world.startTopup.execute(command(other, 2_500, null, null, "key-1"));

        assertThat(theirs.sessionId()).isNotEqualTo(mine.sessionId());
        assertThat(theirs.replayed()).isFalse();
    }

    @Test
    void without_a_key_every_request_opens_its_own_session() {
        assertThat(start(500).sessionId()).isNotEqualTo(start(500).sessionId());
    }

    @Test
    void a_concurrent_retry_with_the_same_key_that_records_first_is_the_answer() {
        StartTopup.Command command = command(org, 2_500, null, null, "key-1");
        StartTopup.Result[] concurrent = new StartTopup.Result[1];
        world.gateway.beforeNextCheckout(() -> concurrent[0] = world.startTopup.execute(command));

        StartTopup.Result result = world.startTopup.execute(command);

        assertThat(result.sessionId()).isEqualTo(concurrent[0].sessionId());
        assertThat(world.gateway.sessionsCreated()).isEqualTo(1);
        assertThat(world.checkoutByKey(org.id(), "key-1")).isPresent();
    }

    @Test
    void a_concurrent_request_with_the_same_key_and_another_amount_makes_the_later_one_a_conflict() {
        world.gateway.beforeNextCheckout(() -> world.startTopup.execute(command(org, 3_000, null, null, "key-1")));

        assertError(() -> world.startTopup.execute(command(org, 2_500, null, null, "key-1")),
                BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(world.checkoutByKey(org.id(), "key-1").orElseThrow().amountCents())
                .isEqualTo(3_000);
    }

    @Test
    void a_success_url_with_non_ascii_characters_is_redirected_to_in_its_percent_encoded_form() {
        assertThat(successUrlOf("https://app.example.com/\u00e4")).isEqualTo(
                "https://app.example.com/%C3%A4?session_id={CHECKOUT_SESSION_ID}");
        assertThat(successUrlOf("https://app.example.com/\u65e5\u672c?q=\u00e9#\u00fc")).isEqualTo(
                "https://app.example.com/%E6%97%A5%E6%9C%AC?q=%C3%A9&session_id={CHECKOUT_SESSION_ID}#%C3%BC");
        world.startTopup.execute(command(org, 500, null, "https://app.example.com/\u00e4", null));
        List<CheckoutRequest> requests = world.gateway.checkoutRequests();
        assertThat(requests.get(requests.size() - 1).cancelUrl()).isEqualTo("https://app.example.com/%C3%A4");
        assertBadRequest(() -> world.startTopup.execute(command(org, 500, "https://\u00e4pp.example.com/", null,
                null)), "successUrl");
    }

    @Test
    void a_success_url_that_already_names_a_session_is_refused() {
        for (String url : List.of("https://app.example.com/done?session_id=cs_1",
                "https://app.example.com/done?a=1&session_id=", "https://app.example.com/done?sessionId=cs_1",
                "https://app.example.com/done?session%5Fid=cs_1")) {
            assertBadRequest(() -> world.startTopup.execute(command(org, 500, url, null, null)), "successUrl");
        }
        assertThat(successUrlOf("https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}"))
                .isEqualTo("https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}");
        assertThat(world.gateway.checkoutCalls()).isEqualTo(1);
    }

    @Test
    void a_url_too_long_is_refused_for_its_length() {
        String longUrl = "https://app.example.com/" + "a".repeat(5_000);
        assertThatThrownBy(() -> world.startTopup.execute(command(org, 500, longUrl, null, null)))
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.details())
                        .singleElement().satisfies(d -> assertThat(d.issue()).startsWith("must have at most 2048")));
        // 2 048 characters once percent-encoded: 2 000 ASCII characters plus 8 that take 6 each are too many.
        String encodedTooLong = "https://app.example.com/" + "a".repeat(2_000) + "\u00e4".repeat(8);
        assertBadRequest(() -> world.startTopup.execute(command(org, 500, encodedTooLong, null, null)), "successUrl");
    }

    @Test
    void a_retry_that_spells_out_the_default_urls_replays_the_session() {
        StartTopup.Result first = world.startTopup.execute(command(org, 500, null, null, "k"));
        StartTopup.Result spelled = world.startTopup.execute(command(org, 500, PaymentsWorld.APP + "/billing/success",
                PaymentsWorld.APP + "/billing", "k"));
        assertThat(spelled.replayed()).isTrue();
        assertThat(spelled.sessionId()).isEqualTo(first.sessionId());
        assertError(() -> world.startTopup.execute(command(org, 500, PaymentsWorld.APP + "/other", null, "k")),
                BillingError.IDEMPOTENCY_CONFLICT);
    }

    private StartTopup.Result start(long cents) {
        return world.startTopup.execute(command(org, cents, null, null, null));
    }

    private static StartTopup.Command command(OrgFixture org, long cents, String successUrl, String cancelUrl,
                                              String key) {
        return StartTopup.Command.builder()
                .caller(org.admin()).amountCents(cents).successUrl(successUrl).cancelUrl(cancelUrl)
                .idempotencyKey(key).build();
    }

    private String successUrlOf(String given) {
        world.startTopup.execute(command(org, 500, given, null, null));
        List<CheckoutRequest> requests = world.gateway.checkoutRequests();
        return requests.get(requests.size() - 1).successUrl();
    }

    private static void assertBadRequest(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(BillingError.BAD_REQUEST);
            assertThat(e.details()).anySatisfy(d -> assertThat(d.field()).isEqualTo(field));
        });
    }

    static void assertError(ThrowingCallable call, BillingError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }
}
