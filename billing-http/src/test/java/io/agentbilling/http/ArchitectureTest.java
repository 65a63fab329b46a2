package io.agentbilling.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.agentbilling.http", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String COMPOSITION_ROOT = "io.agentbilling.http.server";
    private static final String CONFIG = "io.agentbilling.http.server.config";
    private static final String INFRASTRUCTURE = "io.agentbilling.http.server.infrastructure";
    private static final String LOCAL_CHECKOUT = "io.agentbilling.http.server.checkout";

    /**
     * STYLE.md: only the composition root may see the adapters. Its configuration reader may too, to take the limits
     * the adapters own (pool size, Stripe retries) from them rather than repeat them.
     */
    @ArchTest
    static final ArchRule only_the_composition_root_and_its_config_import_adapters = noClasses()
            .that().resideInAPackage("io.agentbilling.http..")
            .and().resideOutsideOfPackages(COMPOSITION_ROOT, CONFIG)
            .should().dependOnClassesThat().resideInAnyPackage("io.agentbilling.jdbc..", "io.agentbilling.stripe..",
                    "io.agentbilling.webhooks..", "io.agentbilling.embedded..");

    /** Routes, pages, JSON, auth and errors are used by the server, never the other way round. */
    @ArchTest
    static final ArchRule nothing_depends_on_the_server = noClasses()
            .that().resideInAnyPackage("io.agentbilling.http.routes..", "io.agentbilling.http.json..",
                    "io.agentbilling.http.auth..", "io.agentbilling.http.errors..", "io.agentbilling.http.pages..")
            .should().dependOnClassesThat().resideInAPackage("io.agentbilling.http.server..");

    /** The server's parts are wired by the composition root; none of them reaches back into it. */
    @ArchTest
    static final ArchRule the_parts_do_not_depend_on_the_composition_root = noClasses()
            .that().resideInAnyPackage(CONFIG, INFRASTRUCTURE, LOCAL_CHECKOUT)
            .should().dependOnClassesThat().resideInAPackage(COMPOSITION_ROOT);

    /** Jetty, gates, metrics and health take their settings as values, not the environment's configuration. */
    @ArchTest
    static final ArchRule infrastructure_and_local_checkout_do_not_read_the_configuration = noClasses()
            .that().resideInAnyPackage(INFRASTRUCTURE, LOCAL_CHECKOUT)
            .should().dependOnClassesThat().resideInAPackage(CONFIG);

    /** The local checkout page is one payment gateway among others: the server's plumbing does not know it. */
    @ArchTest
    static final ArchRule infrastructure_does_not_know_the_local_checkout = noClasses()
            .that().resideInAPackage(INFRASTRUCTURE)
            .should().dependOnClassesThat().resideInAPackage(LOCAL_CHECKOUT);
}
