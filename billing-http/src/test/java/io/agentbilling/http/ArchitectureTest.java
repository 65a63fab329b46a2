package io.agentbilling.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.agentbilling.http", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** STYLE.md: only the composition root may see the adapters. */
    @ArchTest
    static final ArchRule only_the_server_package_imports_adapters = noClasses()
            .that().resideInAPackage("io.agentbilling.http..")
            .and().resideOutsideOfPackage("io.agentbilling.http.server..")
            .should().dependOnClassesThat().resideInAnyPackage("io.agentbilling.jdbc..", "io.agentbilling.stripe..");

    /** Routes, JSON, auth and errors are used by the server, never the other way round. */
    @ArchTest
    static final ArchRule nothing_depends_on_the_composition_root = noClasses()
            .that().resideInAnyPackage("io.agentbilling.http.routes..", "io.agentbilling.http.json..",
                    "io.agentbilling.http.auth..", "io.agentbilling.http.errors..")
            .should().dependOnClassesThat().resideInAPackage("io.agentbilling.http.server..");
}
