package io.agentbilling.http.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The billing page in headless Chromium against the real server: a person signs in with an API key, reads the
 * balance, usage and history, buys credits through the local checkout and edits auto top-up. Expected figures come
 * from the API (with the same key), so the page is checked against the server's own numbers, not against itself.
 */
class BillingPageBrowserTest {
    private static TestApplication app;
    private static Browser browser;

    @BeforeAll
    static void start() {
        app = PageServer.start();
        browser = new Browser(PageServer.baseUrl(app));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @BeforeEach
    void signedOut() {
        browser.size(1280, 1000);
        browser.open("/billing");
        browser.manage().deleteAllCookies();
        browser.open("/billing");
        browser.visible("sign-in-form");
    }

    @AfterEach
    void noPolicyViolationsAndNoRequestElsewhere() {
        List<String> console = browser.console();
        assertThat(console).as("browser console").noneMatch(line -> line.contains("Content Security Policy")
                || line.contains("Uncaught"));
        Object elsewhere = browser.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => !n.startsWith(location.origin));");
        assertThat((List<?>) elsewhere).as("requests to other origins").isEmpty();
    }

    @Test
    void signing_in_shows_the_balance_keeps_no_key_in_the_browser_and_signing_out_ends_the_session() {
        TestOrg org = app.newOrg("pro");
        grant(org, 123_456);

        signIn(org.adminKey());

        browser.awaitText("balance", dollars(balanceCents(org)));
        assertThat(browser.textOf("who")).contains("Admin");
        Cookie cookie = browser.manage().getCookieNamed("billing_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.isSecure()).isFalse(); // plain http here; behind https it is Secure and __Host-
        assertThat(cookie.getExpiry()).isAfter(java.util.Date.from(Instant.now().plus(7, ChronoUnit.HOURS)));
        assertThat(browser.script("return document.cookie")).isEqualTo("");
        assertThat(browser.script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                .isEqualTo("{}{}");
        assertThat(browser.driver.findElement(By.name("apiKey")).getAttribute("value")).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain(org.adminKey());
        browser.screenshot("billing-admin-overview");

        browser.byTestId("sign-out").click();

        browser.visible("sign-in-form");
        browser.awaitTextContaining("notice", "signed out");
        assertThat(browser.manage().getCookieNamed("billing_session")).isNull();
        Answer after = app.get("/v1/billing/session", "Cookie", "billing_session=" + cookie.getValue());
        assertThat(after.status()).isEqualTo(401);
    }

    @Test
    void a_wrong_key_is_refused_in_words() {
        browser.driver.findElement(By.name("apiKey")).sendKeys("rt_live_" + "A".repeat(43));
        browser.byTestId("sign-in-button").click();

        browser.awaitTextContaining("sign-in-error", "unknown, revoked or expired");
        assertThat(browser.manage().getCookieNamed("billing_session")).isNull();
    }

    @Test
    void a_member_sees_their_own_usage_without_admin_actions_and_an_admin_sees_every_member() {
        TestOrg org = app.newOrg("pro");
        grant(org, 10_000);
        settleModel(org, org.member().id(), 2_000_000, 100_000, Instant.now(), "m-1");
        settleModel(org, org.admin().id(), 1_000_000, 0, Instant.now(), "a-1");
        app.app.billing().settleToolExecution().execute(SettleToolExecution.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).tool("web_search").count(3)
                .idempotencyKey("t-" + UUID.randomUUID()).build());

        signIn(org.memberKey());
        JsonNode own = api("/v1/billing/my-usage", org.memberKey()).path("usage");
        browser.awaitText("usage-total", dollars(own.path("totalCostCents").asLong()));
        assertThat(browser.textOf("who")).contains("Member");
        assertThat(browser.byTestId("topup-button").isDisplayed()).isFalse();
        assertThat(browser.byTestId("auto-save").isDisplayed()).isFalse();
        assertThat(browser.byTestId("member-table").isDisplayed()).isFalse();
        List<WebElement> models = browser.allByTestId("model-row");
        assertThat(models).hasSize(1);
        assertThat(models.get(0).getText()).contains("gpt-5", "2,000,000", "100,000",
                dollars(own.path("modelUsage").get(0).path("costCents").asLong()));
        assertThat(browser.allByTestId("resource-row")).extracting(WebElement::getText)
                .anyMatch(text -> text.startsWith("Tool executions 3"));
        browser.screenshot("billing-member");

        browser.byTestId("sign-out").click();
        signIn(org.adminKey());
        JsonNode all = api("/v1/billing/my-usage?all=true", org.adminKey());
        browser.awaitText("usage-total", dollars(all.path("totals").path("totalCostCents").asLong()));
        assertThat(browser.visible("topup-button").isDisplayed()).isTrue();
        assertThat(browser.visible("auto-save").isDisplayed()).isTrue();
        browser.await("a row per member", d -> browser.allByTestId("member-row").size() == 2);
        assertThat(browser.allByTestId("member-row")).extracting(WebElement::getText)
                .anyMatch(text -> text.startsWith("You"));
    }

    @Test
    void the_credit_history_pages_through_every_entry_newest_first() {
        TestOrg org = app.newOrg("pro");
        for (int i = 1; i <= 23; i++) {
            grant(org, i);
        }
        List<String> expected = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read(app.get("/v1/billing/credits/history?limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor), "X-API-Key", org.memberKey()).body());
            page.path("data").forEach(entry -> expected.add(dollarsSigned(entry.path("amountCents").asLong()) + " "
                    + dollars(entry.path("balanceAfterCents").asLong())));
            cursor = page.path("meta").path("nextCursor").isNull() ? null : page.path("meta").path("nextCursor").asText();
        } while (cursor != null);
        assertThat(expected).hasSizeGreaterThan(20);

        signIn(org.memberKey());
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            String page = "Page " + pages;
            browser.awaitText("history-page", page);
            List<WebElement> rows = browser.allByTestId("history-row");
            assertThat(rows).hasSizeBetween(1, 10);
            rows.forEach(row -> seen.add(amounts(row)));
            WebElement older = browser.byTestId("history-older");
            if (!older.isEnabled()) {
                break;
            }
            older.click();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo((expected.size() + 9) / 10);
        browser.byTestId("history-newer").click();
        browser.awaitText("history-page", "Page " + (pages - 1));
        assertThat(amounts(browser.allByTestId("history-row").get(0))).isEqualTo(expected.get((pages - 2) * 10));
    }

    @Test
    void the_usage_chart_draws_each_days_cost_and_follows_the_period() {
        TestOrg org = app.newOrg("pro");
        app.backdate(org.orgId(), java.time.Duration.ofDays(2)); // usage may not precede its org
        grant(org, 100_000);
        Instant now = Instant.now();
        settleModel(org, org.member().id(), 3_000_000, 0, now.minus(1, ChronoUnit.DAYS), "y-1");
        settleModel(org, org.member().id(), 1_000_000, 200_000, now, "t-1");
        JsonNode report = api("/v1/billing/my-usage?period=7d&all=true", org.adminKey());
        assertThat(report.path("daily").size()).isEqualTo(2);

        signIn(org.adminKey());
        browser.byTestId("period-7d").click();
        browser.await("seven days in the chart", d -> bars().size() == 7);
        // The page may redraw the chart (a new set of bars) while it is read: each check reads one drawing whole and
        // is retried on a stale element.
        for (JsonNode day : report.path("daily")) {
            By dayBar = By.cssSelector("[data-testid='usage-chart'] rect[data-day='" + day.path("day").asText() + "']");
            String cents = day.path("costCents").asText();
            browser.await("the bar of " + day.path("day").asText() + " at " + cents + " cents", d -> {
                WebElement bar = d.findElement(dayBar);
                return bar.getAttribute("data-cents").equals(cents) && Double.parseDouble(bar.getAttribute("height")) > 1;
            });
        }
        Long daysWithCost = browser.await("the bars read", d -> bars().stream()
                .filter(bar -> !bar.getAttribute("data-cents").equals("0")).count());
        assertThat(daysWithCost).isEqualTo(2);
        browser.screenshot("billing-usage-chart");

        browser.byTestId("period-30d").click();
        browser.await("thirty days in the chart", d -> bars().size() == 30);
        assertThat(browser.byTestId("period-30d").getAttribute("aria-pressed")).isEqualTo("true");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String lastDay = browser.await("the last bar read", d -> {
            List<WebElement> all = bars();
            return all.get(all.size() - 1).getAttribute("data-day");
        });
        assertThat(lastDay).isEqualTo(today);
    }

    @Test
    void buying_credits_goes_through_the_local_checkout_and_back_to_a_higher_balance() {
        TestOrg org = app.newOrg("pro");
        long before = balanceCents(org);
        assertThat(before).as("the built-in pro plan has no sign-up credit").isZero();
        signIn(org.adminKey());
        browser.awaitText("balance", dollars(before));
        browser.awaitTextContaining("low-balance", "Your balance is used up");
        assertThat(browser.textOf("low-balance")).contains("Buy credits or turn on auto top-up");

        WebElement amount = browser.byTestId("topup-amount");
        amount.clear();
        amount.sendKeys("25.50");
        browser.byTestId("topup-button").click();

        browser.await("the checkout page", d -> d.getCurrentUrl().contains("/checkout/cs_local_"));
        browser.screenshot("billing-local-checkout");
        browser.await("the Pay button", d -> d.findElement(By.xpath("//button[starts-with(., 'Pay')]")))
                .click();

        browser.await("back on the billing page", d -> d.getCurrentUrl().endsWith("/billing"));
        browser.awaitTextContaining("notice", "Payment received: $25.50 added");
        browser.awaitText("balance", dollars(before + 2_550));
        assertThat(balanceCents(org)).isEqualTo(before + 2_550);
        assertThat(browser.byTestId("low-balance").isDisplayed()).as("$25.50 is above the $10.00 threshold").isFalse();
        browser.await("the top-up in the history", d -> browser.allByTestId("history-row").get(0).getText()
                .contains("Top-up +$25.50"));
        browser.screenshot("billing-after-topup");
    }

    @Test
    void a_top_up_below_the_minimum_is_refused_in_words_before_any_checkout() {
        TestOrg org = app.newOrg("pro");
        signIn(org.adminKey());
        WebElement amount = browser.visible("topup-amount");
        amount.clear();
        amount.sendKeys("4.99");
        browser.byTestId("topup-button").click();

        browser.awaitTextContaining("topup-error", "at least $5.00");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/billing");
    }

    @Test
    void auto_top_up_says_in_words_that_it_needs_a_card_and_saves_once_a_checkout_left_one() {
        TestOrg org = app.newOrg("pro");
        signIn(org.adminKey());
        browser.awaitTextContaining("auto-topup-state", "Off");

        WebElement enabled = browser.visible("auto-enabled");
        enabled.click();
        browser.byTestId("auto-save").click();
        browser.awaitTextContaining("auto-error", "needs a saved card");
        browser.screenshot("billing-auto-topup-error");

        payLocalCheckout(org, 1_000); // a paid checkout saves the card
        browser.open("/billing");
        browser.awaitTextContaining("auto-summary", "A card is saved");
        if (!browser.byTestId("auto-enabled").isSelected()) {
            browser.byTestId("auto-enabled").click();
        }
        setValue("auto-threshold", "10");
        setValue("auto-amount", "3");
        browser.byTestId("auto-save").click();
        browser.awaitTextContaining("auto-error", "The top-up amount must be");
        assertThat(browser.textOf("auto-error")).contains("$5.00");

        setValue("auto-amount", "30.00");
        browser.byTestId("auto-save").click();
        browser.awaitTextContaining("notice", "Auto top-up saved");
        browser.awaitText("auto-topup-state", "On: adds $30.00 when the balance falls below $10.00");
        JsonNode settings = api("/v1/billing/auto-topup", org.adminKey());
        assertThat(settings.path("enabled").asBoolean()).isTrue();
        assertThat(settings.path("thresholdCents").asLong()).isEqualTo(1_000);
        assertThat(settings.path("topupAmountCents").asLong()).isEqualTo(3_000);
    }

    @Test
    void a_change_sent_with_the_session_but_without_its_csrf_token_is_refused() {
        TestOrg org = app.newOrg("pro");
        signIn(org.adminKey());
        browser.visible("balance");

        Object withoutToken = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/v1/billing/auto-topup', {method: 'PUT', credentials: 'same-origin',"
                + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({thresholdCents: 2000})})"
                + ".then(r => r.json().then(j => done(r.status + ' ' + j.error.code)));");
        assertThat(withoutToken).isEqualTo("403 forbidden");
        assertThat(api("/v1/billing/auto-topup", org.adminKey()).path("thresholdCents").asLong()).isEqualTo(1_000);

        Object withToken = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/v1/billing/session', {credentials: 'same-origin'}).then(r => r.json()).then(s =>"
                + " fetch('/v1/billing/auto-topup', {method: 'PUT', credentials: 'same-origin',"
                + " headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.data.csrfToken},"
                + " body: JSON.stringify({thresholdCents: 2000})})).then(r => done(String(r.status)));");
        assertThat(withToken).isEqualTo("200");
        assertThat(api("/v1/billing/auto-topup", org.adminKey()).path("thresholdCents").asLong()).isEqualTo(2_000);
    }

    @Test
    void at_375_pixels_the_page_fits_the_screen_and_works_from_the_keyboard() {
        TestOrg org = app.newOrg("pro");
        grant(org, 4_321);
        browser.size(375, 812);
        browser.open("/billing");
        browser.visible("sign-in-form");

        browser.await("the key field has the focus", d -> "api-key".equals(
                d.switchTo().activeElement().getAttribute("data-testid")));
        browser.driver.switchTo().activeElement().sendKeys(org.adminKey(), Keys.ENTER);

        browser.awaitText("balance", dollars(balanceCents(org)));
        long innerWidth = (Long) browser.script("return window.innerWidth;");
        long scrollWidth = (Long) browser.script("return document.documentElement.scrollWidth;");
        assertThat(innerWidth).isLessThanOrEqualTo(375);
        assertThat(scrollWidth).as("no sideways scrolling").isLessThanOrEqualTo(innerWidth);
        assertThat(browser.byTestId("balance").getRect().getWidth()).isPositive();
        browser.screenshot("billing-375px");

        String reached = null;
        for (int i = 0; i < 40 && !"topup-button".equals(reached); i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            reached = browser.driver.switchTo().activeElement().getAttribute("data-testid");
        }
        assertThat(reached).as("the buy button is reachable with Tab").isEqualTo("topup-button");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("the checkout page", d -> d.getCurrentUrl().contains("/checkout/cs_local_"));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void signIn(String key) {
        browser.visible("sign-in-form");
        WebElement input = browser.driver.findElement(By.name("apiKey"));
        input.clear();
        input.sendKeys(key);
        browser.byTestId("sign-in-button").click();
        browser.visible("balance");
        browser.await("the balance", d -> !browser.textOf("balance").isEmpty());
    }

    private static void setValue(String testId, String value) {
        WebElement input = browser.byTestId(testId);
        input.clear();
        input.sendKeys(value);
    }

    private static List<WebElement> bars() {
        return browser.driver.findElements(By.cssSelector("[data-testid='usage-chart'] rect.bar"));
    }

    private static String amounts(WebElement row) {
        List<WebElement> cells = row.findElements(By.tagName("td"));
        return cells.get(2).getText() + " " + cells.get(3).getText();
    }

    private static void grant(TestOrg org, long cents) {
        app.app.billing().grantCredit().execute(GrantCredit.Command.builder()
                .orgId(org.orgId()).amountCents(cents).description("promo").idempotencyKey("g-" + UUID.randomUUID())
                .build());
    }

    private static void settleModel(TestOrg org, io.agentbilling.core.access.MemberId member, long in, long out,
                                    Instant at, String key) {
        app.app.billing().settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org.orgId()).memberId(member).model("gpt-5").inputTokens(in).outputTokens(out).occurredAt(at)
                .idempotencyKey(key + "-" + UUID.randomUUID()).build());
    }

    /** A top-up paid on the local checkout over plain HTTP (as a person would, without this page). */
    private static void payLocalCheckout(TestOrg org, long cents) {
        Answer started = app.post("/v1/billing/topup", "{\"amountCents\": " + cents + "}", "X-API-Key",
                org.adminKey());
        String sessionId = read(started.body()).path("data").path("sessionId").asText();
        Answer paid = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/checkout/" + sessionId + "/pay"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("")));
        assertThat(paid.status()).isEqualTo(303);
    }

    private static JsonNode api(String path, String key) {
        Answer response = app.get(path, "X-API-Key", key);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return read(response.body()).path("data");
    }

    private static long balanceCents(TestOrg org) {
        return api("/v1/billing/credits", org.adminKey()).path("balanceCents").asLong();
    }

    /** What the page must show for {@code cents}: "$1,234.56", "-$0.05". */
    static String dollars(long cents) {
        long abs = Math.abs(cents);
        return (cents < 0 ? "-" : "") + String.format(Locale.ROOT, "$%,d.%02d", abs / 100, abs % 100);
    }

    private static String dollarsSigned(long cents) {
        return cents < 0 ? dollars(cents) : "+" + dollars(cents);
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
