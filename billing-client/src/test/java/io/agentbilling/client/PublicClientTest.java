package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.client.billing.AutoTopup;
import io.agentbilling.client.billing.AutoTopupUpdate;
import io.agentbilling.client.billing.Checkout;
import io.agentbilling.client.billing.Credits;
import io.agentbilling.client.billing.HistoryQuery;
import io.agentbilling.client.billing.LedgerEntry;
import io.agentbilling.client.billing.MemberBudget;
import io.agentbilling.client.billing.SpendSettings;
import io.agentbilling.client.billing.Plan;
import io.agentbilling.client.billing.Topup;
import io.agentbilling.client.billing.TopupRequest;
import io.agentbilling.client.billing.UsagePeriod;
import io.agentbilling.client.billing.UsageReport;
import io.agentbilling.client.billing.CreatedWebhookEndpoint;
import io.agentbilling.client.billing.WebhookDelivery;
import io.agentbilling.client.billing.WebhookEndpoint;
import io.agentbilling.client.service.Adjustment;
import io.agentbilling.client.service.Grant;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.ToolExecution;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every call of {@link BillingClient} against the real server on a real PostgreSQL, with the API keys of an org's
 * admin and member: plan, credits, the paged credit history, usage reports, top-ups through the local checkout, their
 * verification, and auto top-up; and the typed refusals.
 */
class PublicClientTest {
    private static TestApplication app;
    private static FaultProxy proxy;
    private static BillingServiceClient service;
    private static URI base;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        proxy = new FaultProxy(URI.create("http://127.0.0.1:" + app.app.port()));
        base = proxy.uri();
        service = BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            RouteCoverage.assertEveryRouteCalled(URI.create("http://127.0.0.1:" + app.app.port()), "/v1/billing/",
                    // Stripe's webhook, and the billing page's browser sessions (a cookie, not an API key).
                    java.util.Set.of("/v1/billing/webhooks/stripe", "/v1/billing/session"), proxy.seen());
        } finally {
            proxy.close();
            app.close();
        }
    }

    private static UUID id(TestOrg org) {
        return org.orgId().value();
    }

    @Test
    void plan_and_credits_describe_the_keys_organization() {
        TestOrg org = app.newOrg("free");
        BillingClient member = BillingClient.create(base, org.memberKey());

        Plan plan = member.plan();
        assertThat(plan.orgId()).isEqualTo(id(org));
        assertThat(plan.plan()).isEqualTo("free");
        assertThat(plan.planName()).isNotBlank();
        assertThat(plan.balanceCents()).isEqualTo(500);
        assertThat(plan.balanceMicros()).isEqualTo(500_000_000L);
        assertThat(plan.includedCreditsCents()).isEqualTo(500);
        assertThat(plan.currentPeriod().from()).isBefore(plan.currentPeriod().to());
        assertThat(plan.autoTopup().enabled()).isFalse();
        assertThat(member.plan(id(org))).isEqualTo(plan);

        service.settleModelUsage(ModelUsage.of(id(org), org.member().id().value(), "gpt-5", 1_000, 100));
        Credits credits = member.credits();
        assertThat(credits.balanceMicros()).isEqualTo(500_000_000L - 225_000);
        assertThat(credits.balanceCents()).isEqualTo(499);
        assertThat(credits.totalGrantedCents()).isEqualTo(500);
        assertThat(credits.totalUsedMicros()).isEqualTo(225_000);
        assertThat(credits.balanceCents()).isEqualTo(credits.totalGrantedCents() - credits.totalUsedCents()
                - credits.expiredCents() - credits.refundedToCardCents());
        assertThat(credits.freeCreditsUsed()).isFalse();
        assertThat(credits.availableCents()).isEqualTo(499);
        assertThat(member.credits(id(org))).isEqualTo(credits);
    }

    @Test
    void the_credit_history_stream_follows_the_cursor_through_every_page() {
        TestOrg org = app.newOrg("free");
        BillingClient member = BillingClient.create(base, org.memberKey());
        for (int i = 1; i <= 6; i++) {
            service.grantCredit(id(org), Grant.of(i * 100L).withDescription("grant " + i));
        }
        service.adjustCredit(id(org), Adjustment.of(-50, "correction"));

        List<LedgerEntry> all = member.creditHistory().toList();
        assertThat(all).hasSize(8);
        assertThat(all.get(0).type()).as("newest first").isEqualTo("adjustment");
        assertThat(all.get(7).type()).isEqualTo("signup_grant");
        for (int i = 0; i < all.size() - 1; i++) {
            assertThat(all.get(i).balanceAfterMicros())
                    .isEqualTo(all.get(i + 1).balanceAfterMicros() + all.get(i).amountMicros());
        }

        List<LedgerEntry> paged = member.creditHistory(HistoryQuery.all().withPageSize(3)).toList();
        assertThat(paged).isEqualTo(all);
        Page<LedgerEntry> first = member.creditHistoryPage(HistoryQuery.all().withPageSize(3), null);
        assertThat(first.items()).isEqualTo(all.subList(0, 3));
        assertThat(first.hasMore()).isTrue();
        Page<LedgerEntry> second = member.creditHistoryPage(HistoryQuery.all().withPageSize(3), first.nextCursor());
        assertThat(second.items()).isEqualTo(all.subList(3, 6));
        Page<LedgerEntry> last = member.creditHistoryPage(HistoryQuery.all().withPageSize(3), second.nextCursor());
        assertThat(last.items()).isEqualTo(all.subList(6, 8));
        assertThat(last.hasMore()).isFalse();
        assertThat(last.nextCursor()).isNull();

        assertThat(member.creditHistory(HistoryQuery.all().withTypes("grant").withPageSize(2)).toList())
                .hasSize(6).allSatisfy(entry -> assertThat(entry.type()).isEqualTo("grant"));
        assertThat(member.creditHistory(HistoryQuery.all().withTypes("grant", "adjustment")).count()).isEqualTo(7);
        Instant future = Instant.now().plusSeconds(3_600);
        assertThat(member.creditHistory(HistoryQuery.all().withRange(future, future.plusSeconds(1)))).isEmpty();
        assertThat(member.creditHistory(HistoryQuery.all().withOrgId(id(org)).withPageSize(500)).toList())
                .isEqualTo(all);
    }

    @Test
    void usage_reports_give_a_member_their_row_and_an_admin_every_row() {
        TestOrg org = app.newOrg("free");
        UUID memberId = org.member().id().value();
        service.settleModelUsage(ModelUsage.of(id(org), memberId, "gpt-5", 1_200, 300));
        service.settleToolExecution(ToolExecution.of(id(org), memberId, "web_search"));
        BillingClient member = BillingClient.create(base, org.memberKey());
        BillingClient admin = BillingClient.create(base, org.adminKey());

        UsageReport mine = member.myUsage(UsagePeriod.LAST_30_DAYS, false);
        assertThat(mine.period()).isEqualTo("30d");
        assertThat(mine.orgId()).isEqualTo(id(org));
        assertThat(mine.usage().memberId()).isEqualTo(memberId);
        assertThat(mine.usage().tokens().total()).isEqualTo(1_500);
        assertThat(mine.usage().modelUsage()).singleElement().satisfies(row -> {
            assertThat(row.model()).isEqualTo("gpt-5");
            assertThat(row.requests()).isEqualTo(1);
        });
        assertThat(mine.usage().toolExecutions()).isEqualTo(1);
        assertThat(mine.members()).isNull();

        for (UsagePeriod period : UsagePeriod.values()) {
            UsageReport all = admin.myUsage(period, true);
            assertThat(all.period()).isEqualTo(period.wireName());
            assertThat(all.members()).extracting(UsageReport.Row::memberId).containsExactly(memberId);
            assertThat(all.totals().memberId()).isNull();
            assertThat(all.totals().totalCostCents()).isEqualTo(mine.usage().totalCostCents());
            assertThat(all.usage()).isNull();
        }
        assertThat(admin.myUsage(UsagePeriod.CURRENT, false, id(org)).usage().tokens().total()).isZero();

        assertThatThrownBy(() -> member.myUsage(UsagePeriod.CURRENT, true))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.code()).isEqualTo("forbidden");
                    assertThat(e.status()).isEqualTo(403);
                });
    }

    @Test
    void a_top_up_is_opened_replayed_by_its_key_paid_and_verified_once() {
        TestOrg org = app.newOrg("free");
        BillingClient admin = BillingClient.create(base, org.adminKey());
        BillingClient member = BillingClient.create(base, org.memberKey());

        assertThatThrownBy(() -> admin.updateAutoTopup(AutoTopupUpdate.of().withEnabled(true)))
                .isInstanceOfSatisfying(UnprocessableException.class,
                        e -> assertThat(e.code()).isEqualTo("payment_method_required"));

        Topup topup = admin.topup(TopupRequest.of(2_500).withRedirects("https://app.example.com/paid",
                "https://app.example.com/cancelled").withIdempotencyKey("topup-1"));
        assertThat(topup.amountCents()).isEqualTo(2_500);
        assertThat(topup.checkoutUrl()).endsWith("/checkout/" + topup.sessionId());
        assertThat(topup.replayed()).isFalse();
        Topup again = admin.topup(TopupRequest.of(2_500).withRedirects("https://app.example.com/paid",
                "https://app.example.com/cancelled").withIdempotencyKey("topup-1"));
        assertThat(again.sessionId()).isEqualTo(topup.sessionId());
        assertThat(again.replayed()).isTrue();
        Topup plain = admin.topup(1_000, null, null);
        assertThat(plain.sessionId()).as("without a key of its own, a new session").isNotEqualTo(topup.sessionId());

        Checkout open = member.verifyCheckout(topup.sessionId());
        assertThat(open.status()).isEqualTo("open");
        assertThat(open.credited()).isFalse();
        assertThat(open.entryId()).isNull();

        Answer paid = app.send(HttpRequest.newBuilder(app.uri("/checkout/" + topup.sessionId()
                + "/pay")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(paid.status()).isEqualTo(303);

        Checkout credited = member.verifyCheckout(topup.sessionId());
        assertThat(credited.status()).isEqualTo("paid");
        assertThat(credited.credited()).isTrue();
        assertThat(credited.amountCents()).isEqualTo(2_500);
        assertThat(credited.balanceCents()).isEqualTo(3_000);
        assertThat(credited.entryId()).isNotNull();
        assertThat(member.verifyCheckout(topup.sessionId()).entryId()).isEqualTo(credited.entryId());
        assertThat(member.credits().balanceCents()).isEqualTo(3_000);

        assertThatThrownBy(() -> member.topup(2_500, null, null)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> admin.topup(100, null, null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.details()).extracting(FieldIssue::field).containsExactly("amountCents"));
        assertThatThrownBy(() -> admin.topup(2_500, "https://evil.example.org/", null))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> admin.topup(TopupRequest.of(3_000).withIdempotencyKey("topup-1")))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.isIdempotencyConflict()).isTrue());
        assertThatThrownBy(() -> member.verifyCheckout("cs_local_AAAAAAAAAAAAAAAAAAAAAAAA"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void auto_top_up_settings_are_read_and_changed_field_by_field() {
        TestOrg org = app.newOrg("free");
        BillingClient admin = BillingClient.create(base, org.adminKey());
        BillingClient member = BillingClient.create(base, org.memberKey());

        AutoTopup defaults = member.autoTopup();
        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.thresholdCents()).isEqualTo(1_000);
        assertThat(defaults.topupAmountCents()).isEqualTo(2_500);
        assertThat(defaults.hasSavedPaymentMethod()).isFalse();
        assertThat(defaults.lastTopupAt()).isNull();

        AutoTopup changed = admin.updateAutoTopup(AutoTopupUpdate.of().withThresholdCents(700));
        assertThat(changed.thresholdCents()).isEqualTo(700);
        assertThat(changed.topupAmountCents()).as("omitted fields keep their values").isEqualTo(2_500);
        AutoTopup both = admin.updateAutoTopup(AutoTopupUpdate.of().withOrgId(id(org)).withTopupAmountCents(5_000)
                .withEnabled(false));
        assertThat(both.thresholdCents()).isEqualTo(700);
        assertThat(both.topupAmountCents()).isEqualTo(5_000);
        assertThat(member.autoTopup(id(org))).isEqualTo(both);

        Topup topup = admin.topup(2_500, null, null);
        app.send(HttpRequest.newBuilder(app.uri("/checkout/" + topup.sessionId() + "/pay"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()));
        AutoTopup enabled = admin.updateAutoTopup(AutoTopupUpdate.of().withEnabled(true));
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.hasSavedPaymentMethod()).isTrue();
        assertThat(admin.plan().autoTopup().enabled()).isTrue();

        assertThatThrownBy(() -> member.updateAutoTopup(AutoTopupUpdate.of().withEnabled(false)))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> admin.updateAutoTopup(AutoTopupUpdate.of().withTopupAmountCents(10)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.details()).extracting(FieldIssue::field).contains("topupAmountCents"));
    }

    @Test
    void bad_keys_and_other_organizations_are_typed_refusals() {
        TestOrg org = app.newOrg("free");
        TestOrg other = app.newOrg("free");
        assertThatThrownBy(() -> BillingClient.create(base, "rt_live_not_a_key").plan())
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_token");
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.requestId()).startsWith("req_");
                    assertThat(e.attempts()).isEqualTo(1);
                });
        BillingClient member = BillingClient.create(base, org.memberKey());
        assertThatThrownBy(() -> member.credits(id(other))).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> member.creditHistory(HistoryQuery.all().withOrgId(id(other))).findFirst())
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> member.creditHistoryPage(HistoryQuery.all(), "not-a-cursor"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.details()).extracting(FieldIssue::field).contains("cursor"));
        assertThatThrownBy(() -> BillingClient.create(URI.create("ftp://example.com"), "k"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_admin_sets_budgets_and_settings_members_read_their_own() {
        TestOrg org = app.newOrg("free");
        BillingClient admin = BillingClient.create(base, org.adminKey());
        BillingClient member = BillingClient.create(base, org.memberKey());
        UUID memberId = org.member().id().value();

        MemberBudget set = admin.setMemberBudget(memberId, 1_000L, 200L);
        assertThat(set.monthlyLimitCents()).isEqualTo(1_000);
        assertThat(set.dailyLimitCents()).isEqualTo(200);
        service.settleModelUsage(ModelUsage.of(id(org), memberId, "gpt-5", 1_000_000, 0));
        List<MemberBudget> mine = member.budgets();
        assertThat(mine).singleElement().satisfies(row -> {
            assertThat(row.memberId()).isEqualTo(memberId);
            assertThat(row.spentTodayCents()).isPositive();
            assertThat(row.remainingTodayCents()).isEqualTo(200 - row.spentTodayCents());
        });
        assertThat(admin.budgets(id(org))).extracting(MemberBudget::memberId)
                .containsExactlyInAnyOrder(memberId, org.admin().id().value());
        assertThatThrownBy(() -> member.setMemberBudget(memberId, null, null))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(admin.apiKeyCaps()).isEmpty();
        assertThatThrownBy(member::apiKeyCaps).isInstanceOf(PermissionDeniedException.class);

        assertThat(member.spendSettings().countByokTowardBudgets()).isFalse();
        SpendSettings settings = admin.updateSpendSettings(true, 1_500L);
        assertThat(settings.countByokTowardBudgets()).isTrue();
        assertThat(settings.balanceLowThresholdCents()).isEqualTo(1_500);
        assertThat(member.spendSettings()).isEqualTo(settings);
    }

    @Test
    void an_admin_registers_webhook_endpoints_reads_their_deliveries_and_retries_one() {
        TestOrg org = app.newOrg("free");
        BillingClient admin = BillingClient.create(base, org.adminKey());
        BillingClient member = BillingClient.create(base, org.memberKey());
        // The test server allows no private targets: a loopback URL is a 400 naming url, and nothing is registered.
        assertThatThrownBy(() -> admin.createWebhookEndpoint("http://127.0.0.1:9/hook", List.of("balance.low")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("url");
        assertThatThrownBy(() -> admin.createWebhookEndpoint("https://hooks.example.invalid/x", List.of("no.such")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("events");
        assertThatThrownBy(() -> member.createWebhookEndpoint("https://hooks.example.invalid/x",
                List.of("balance.low"))).isInstanceOf(PermissionDeniedException.class);
        assertThat(admin.webhookEndpoints()).isEmpty();

        CreatedWebhookEndpoint created = admin.createWebhookEndpoint("https://hooks.example.invalid/billing",
                List.of("hold.expired", "balance.low"));
        assertThat(created.secret()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(created.toString()).doesNotContain(created.secret());
        assertThat(created.events()).containsExactly("balance.low", "hold.expired");
        assertThat(admin.webhookEndpoints()).extracting(WebhookEndpoint::id).containsExactly(created.id());
        // Under the caller's key, a retry (here from another client) returns the same endpoint and secret.
        String key = "hook-" + UUID.randomUUID();
        CreatedWebhookEndpoint keyed = admin.createWebhookEndpoint("https://hooks.example.invalid/keyed",
                List.of("balance.low"), key);
        assertThat(keyed.replayed()).isFalse();
        CreatedWebhookEndpoint replayed = BillingClient.create(base, org.adminKey()).createWebhookEndpoint(
                "https://hooks.example.invalid/keyed", List.of("balance.low"), key);
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.id()).isEqualTo(keyed.id());
        assertThat(replayed.secret()).isEqualTo(keyed.secret());
        assertThatThrownBy(() -> admin.createWebhookEndpoint("https://hooks.example.invalid/other",
                List.of("balance.low"), key)).isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.isIdempotencyConflict()).isTrue());
        admin.deleteWebhookEndpoint(keyed.id());
        assertThat(admin.webhookEndpoints()).extracting(WebhookEndpoint::id).containsExactly(created.id());
        assertThat(admin.webhookEndpoint(created.id()).url()).isEqualTo("https://hooks.example.invalid/billing");
        assertThatThrownBy(member::webhookEndpoints).isInstanceOf(PermissionDeniedException.class);

        // A settlement that takes the balance below the threshold records balance.low and its delivery.
        admin.updateSpendSettings(false, admin.credits().balanceCents());
        service.settleModelUsage(ModelUsage.of(id(org), org.member().id().value(), "gpt-5", 1_000_000, 0));
        Page<WebhookDelivery> page = admin.webhookDeliveries(created.id(), 10, null);
        assertThat(page.hasMore()).isFalse();
        WebhookDelivery delivery = page.items().get(0);
        assertThat(page.items()).hasSize(1);
        assertThat(delivery.eventType()).isEqualTo("balance.low");
        assertThat(delivery.eventId()).startsWith("evt_");
        assertThat(delivery.endpointId()).isEqualTo(created.id());
        WebhookDelivery retried = admin.retryWebhookDelivery(created.id(), delivery.id());
        assertThat(retried.status()).isEqualTo("pending");
        assertThat(retried.eventId()).isEqualTo(delivery.eventId());
        assertThatThrownBy(() -> admin.retryWebhookDelivery(created.id(), UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class);

        WebhookEndpoint deleted = admin.deleteWebhookEndpoint(created.id());
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(admin.deleteWebhookEndpoint(created.id())).isEqualTo(deleted);
        assertThat(admin.webhookEndpoints()).isEmpty();
        assertThatThrownBy(() -> admin.webhookEndpoint(created.id())).isInstanceOf(NotFoundException.class);
        assertThat(admin.webhookDeliveries(created.id(), null, null).items()).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo("canceled"));
    }
}
