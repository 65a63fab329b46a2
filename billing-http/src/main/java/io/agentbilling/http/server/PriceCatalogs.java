package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ConfigException;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.port.VersionedPriceBook;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.internal.PriceCatalogFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The price book in force: the catalog file named by {@code BILLING_PRICE_CATALOG}, else the built-in catalog.
 *
 * <p>The file is {@code {"versions": [<pricing>, …]}}, each version shaped exactly like the answer of
 * {@code GET /v1/internal/billing/pricing} (docs/API-NOTES.md has the format). It is read once, at start-up, with the
 * API's own strict JSON rules; anything wrong with it stops the start with a {@link ConfigException} naming the file
 * and every field at fault, so a typo never becomes a price.
 */
final class PriceCatalogs {
    private PriceCatalogs() {}

    static PriceBook load(ServerConfig config) {
        List<PriceCatalog> versions = config.priceCatalog().map(PriceCatalogs::read)
                .orElseGet(() -> List.of(DefaultCatalog.create()));
        return new VersionedPriceBook(versions, Clock.systemUTC());
    }

    /** The versions of a catalog file, checked; throws {@link ConfigException} naming every problem found. */
    static List<PriceCatalog> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(file, "cannot be read: " + e.getMessage());
        }
        try {
            List<PriceCatalog> versions = Json.parse(bytes, PriceCatalogFile.class).toCatalogs();
            checkAcrossVersions(versions);
            new VersionedPriceBook(versions, Clock.systemUTC()); // distinct names and instants
            return versions;
        } catch (BillingException e) {
            List<FieldIssue> details = e.details();
            throw details.isEmpty() ? problem(file, e.getMessage())
                    : problem(file, details.stream().map(PriceCatalogs::describe).collect(Collectors.joining("; ")));
        } catch (IllegalArgumentException e) {
            throw problem(file, e.getMessage());
        }
    }

    /**
     * An org keeps its plan when prices change, so a later version must keep every plan of the earlier ones (an org
     * on a dropped plan would have no storage quota).
     */
    private static void checkAcrossVersions(List<PriceCatalog> versions) {
        List<PriceCatalog> sorted = versions.stream()
                .sorted(Comparator.comparing(PriceCatalog::effectiveFrom)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            Set<String> earlier = sorted.get(i - 1).plans().keySet();
            Map<String, ?> later = sorted.get(i).plans();
            for (String code : earlier) {
                if (!later.containsKey(code)) {
                    throw BillingException.invalid("versions", "version " + sorted.get(i).version()
                            + " drops plan " + code + " of version " + sorted.get(i - 1).version());
                }
            }
        }
    }

    /** A field issue of the file; the JSON reader calls the whole document "body". */
    private static String describe(FieldIssue issue) {
        return (issue.field().equals("body") ? "the file" : issue.field()) + " " + issue.issue();
    }

    private static ConfigException problem(Path file, String what) {
        return new ConfigException(List.of(ServerConfig.PRICE_CATALOG + " file '" + file + "' is invalid: " + what));
    }
}
