package io.agentbilling.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core is the centre of the hexagon: it depends on the JDK only and never on an adapter or the server. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.agentbilling.core");

    @Test
    void the_core_depends_on_the_jdk_only() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.agentbilling.core..", "java..")
                .check(core);
    }

    @Test
    void the_core_knows_no_adapter_and_no_server() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.agentbilling.jdbc..", "io.agentbilling.stripe..", "io.agentbilling.http..")
                .check(core);
    }

    @Test
    void use_cases_are_not_used_by_the_domain_model() {
        noClasses().that().resideInAnyPackage("io.agentbilling.core.money..", "io.agentbilling.core.ledger..",
                        "io.agentbilling.core.usage..", "io.agentbilling.core.pricing..", "io.agentbilling.core.access..")
                .should().dependOnClassesThat().resideInAPackage("io.agentbilling.core.usecase..")
                .check(core);
    }
}
