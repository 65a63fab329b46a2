package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.pricing.PriceCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * The price catalog file named by {@code BILLING_PRICE_CATALOG}: {@code {"versions": [<pricing>, …]}}, each
 * element shaped exactly like the answer of {@code GET /v1/internal/billing/pricing}. See docs/API-NOTES.md.
 */
public record PriceCatalogFile(
        @JsonPropertyDescription("At least one version; each applies from its effectiveFrom until the next one")
        @JsonProperty(required = true) List<PricingView> versions) {

    /**
     * The catalog versions, oldest first as written or not (the price book sorts them). Every problem is a
     * {@link BillingException} naming the field from the file's root ({@code versions[1].models.gpt-5…}).
     */
    public List<PriceCatalog> toCatalogs() {
        if (versions.isEmpty()) {
            throw BillingException.invalid("versions", "must hold at least one version");
        }
        List<PriceCatalog> catalogs = new ArrayList<>();
        List<FieldIssue> issues = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            String prefix = "versions[" + i + "]";
            if (versions.get(i) == null) {
                issues.add(new FieldIssue(prefix, "must not be null"));
                continue;
            }
            try {
                catalogs.add(versions.get(i).toCatalog());
            } catch (BillingException e) {
                e.details().forEach(d -> issues.add(new FieldIssue(prefix + "." + d.field(), d.issue())));
            }
        }
        if (!issues.isEmpty()) {
            FieldIssue first = issues.get(0);
            throw BillingException.invalid(first.field() + " " + first.issue(), issues);
        }
        return catalogs;
    }
}
