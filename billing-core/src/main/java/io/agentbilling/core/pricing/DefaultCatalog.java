package io.agentbilling.core.pricing;

import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import java.time.Instant;

/**
 * The built-in catalog, used when the operator configures none. Prices (US dollars, so "$1.25 / M tokens" is 125
 * micros of a cent per token):
 * <ul>
 *   <li>Models, per million input / output / cached-input tokens: {@code gpt-5} $1.25 / $10 / $0.125;
 *       {@code gpt-5-mini} $0.25 / $2 / $0.025; {@code claude-sonnet-4-5} $3 / $15 / $0.30;
 *       {@code claude-haiku-4-5} $1 / $5 / $0.10; {@code gemini-2.5-pro} $1.25 / $10 / $0.31;
 *       {@code gemini-2.5-flash} $0.30 / $2.50 / $0.075. No default price: an unlisted Platform model is refused
 *       ({@code unknown_model}).</li>
 *   <li>Sandboxes, per second: {@code small} $0.000014 (≈ $0.05/h), {@code medium} $0.000028,
 *       {@code large} $0.000056, {@code xlarge} $0.000112.</li>
 *   <li>Storage: $0.10 per GiB-month (2^30 bytes for 30 days).</li>
 *   <li>Tools: $0.001 per execution; {@code web_search} $0.01, {@code browser} $0.005.</li>
 *   <li>Resources: {@code code_exec} $0.00002 per {@code seconds}.</li>
 * </ul>
 * Plans: {@code free} — a $5.00 sign-up grant that expires after 30 days, 1 GiB of storage; {@code pro} — no grant,
 * 50 GiB; {@code team} — no grant, 200 GiB; {@code enterprise} — no grant, 1 TiB. Paid plans buy credit with
 * top-ups; what distinguishes them here is the storage quota.
 */
public final class DefaultCatalog {
    public static final String VERSION = "builtin-2026-01-01";
    public static final Instant EFFECTIVE_FROM = Instant.parse("2026-01-01T00:00:00Z");

    private static final long GIB = PriceCatalog.BYTES_PER_GIB;

    private DefaultCatalog() {}

    public static PriceCatalog create() {
        return PriceCatalog.builder(VERSION, EFFECTIVE_FROM)
                .model("gpt-5", ModelPrice.centsPerMillion("125", "1000", "12.5"))
                .model("gpt-5-mini", ModelPrice.centsPerMillion("25", "200", "2.5"))
                .model("claude-sonnet-4-5", ModelPrice.centsPerMillion("300", "1500", "30"))
                .model("claude-haiku-4-5", ModelPrice.centsPerMillion("100", "500", "10"))
                .model("gemini-2.5-pro", ModelPrice.centsPerMillion("125", "1000", "31"))
                .model("gemini-2.5-flash", ModelPrice.centsPerMillion("30", "250", "7.5"))
                .sandboxPerSecond("small", UnitPrice.microsPerUnit("1400"))
                .sandboxPerSecond("medium", UnitPrice.microsPerUnit("2800"))
                .sandboxPerSecond("large", UnitPrice.microsPerUnit("5600"))
                .sandboxPerSecond("xlarge", UnitPrice.microsPerUnit("11200"))
                .storagePerGiBMonth(UnitPrice.microsPerUnit("10000000"))
                .toolExecution(UnitPrice.microsPerUnit("100000"))
                .tool("web_search", UnitPrice.microsPerUnit("1000000"))
                .tool("browser", UnitPrice.microsPerUnit("500000"))
                .resource("code_exec", new ResourcePrice("seconds", UnitPrice.microsPerUnit("2000")))
                .plan(new Plan("free", "Free", Credits.ofCents(500), 30, GIB))
                .plan(new Plan("pro", "Pro", Credits.ZERO, 0, 50 * GIB))
                .plan(new Plan("team", "Team", Credits.ZERO, 0, 200 * GIB))
                .plan(new Plan("enterprise", "Enterprise", Credits.ZERO, 0, 1024 * GIB))
                .build();
    }
}
