package io.agentbilling.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import io.agentbilling.core.ledger.archfixture.Violations;
import io.agentbilling.core.ledger.archfixture.a.CycleA;
import io.agentbilling.core.ledger.archfixture.b.CycleB;
import org.junit.jupiter.api.Test;

/**
 * The core's shape, checked on its compiled classes so that a violation fails the build rather than a review:
 * it depends on the JDK only; its domain packages are pure rules that depend on nothing but each other and
 * {@code java.*} (no port, no use case, no settlement engine); no package cycle; and no wall clock — the time always
 * comes from the {@link Clock} the composition root gives {@link Billing}. Each rule is also run against a small
 * class that breaks it, so that a rule that cannot fail is noticed.
 */
class ArchitectureTest {
    /** The pure domain: value types and rules, no orchestration. */
    static final String[] DOMAIN = {"io.agentbilling.core.money..", "io.agentbilling.core.ledger..",
            "io.agentbilling.core.usage..", "io.agentbilling.core.pricing..", "io.agentbilling.core.access..",
            "io.agentbilling.core.payment..", "io.agentbilling.core.error..", "io.agentbilling.core.spend..",
            "io.agentbilling.core.webhooks.."};

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.agentbilling.core");

    /** Every package of the core is a slice of its own (the root package too), sub-packages included. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return javaClass.getPackageName().startsWith("io.agentbilling.core")
                    ? SliceIdentifier.of(javaClass.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of the core";
        }
    };

    static final ArchRule THE_CORE_DEPENDS_ON_THE_JDK_ONLY = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.agentbilling.core..", "java..");

    static final ArchRule THE_DOMAIN_DEPENDS_ON_ITSELF_AND_JAVA_ONLY = classes()
            .that().resideInAnyPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(withJava(DOMAIN))
            .because("the domain packages hold the pure rules: ports, use cases and the settlement engine use them, "
                    + "never the other way round");

    static final ArchRule THE_DOMAIN_STARTS_NO_THREADS = noClasses()
            .that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..")
            .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
            .because("queues, writers and schedulers are orchestration: io.agentbilling.core.settlement.internal and "
                    + "BackgroundJobs");

    static final ArchRule NO_PACKAGE_CYCLES = slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles();

    /**
     * Wall-clock reads. {@code System.nanoTime()} stays allowed: it measures elapsed time for timeouts (the
     * group-commit caller's wait), it is not a time of day.
     */
    static final ArchRule NO_SYSTEM_CLOCK = noClasses()
            .should().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .orShould().callMethod(Clock.class, "system", ZoneId.class)
            .orShould().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalDate.class, "now", ZoneId.class)
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now", ZoneId.class)
            .orShould().callMethod(LocalTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now", ZoneId.class)
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now", ZoneId.class)
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callConstructor(java.util.Date.class)
            .because("the time comes from the Clock given to Billing.builder, so that tests and hosts control it");

    @Test
    void the_core_depends_on_the_jdk_only() {
        THE_CORE_DEPENDS_ON_THE_JDK_ONLY.check(CORE);
    }

    @Test
    void the_domain_packages_depend_on_each_other_and_java_only() {
        THE_DOMAIN_DEPENDS_ON_ITSELF_AND_JAVA_ONLY.check(CORE);
    }

    @Test
    void the_settlement_engine_and_its_threads_live_apart_from_the_ledger_rules() {
        THE_DOMAIN_STARTS_NO_THREADS.check(CORE);
    }

    @Test
    void no_package_of_the_core_is_part_of_a_cycle() {
        NO_PACKAGE_CYCLES.check(CORE);
    }

    @Test
    void nothing_in_the_core_reads_the_system_clock() {
        NO_SYSTEM_CLOCK.check(CORE);
    }

    @Test
    void the_core_knows_no_adapter_and_no_server() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.agentbilling.jdbc..", "io.agentbilling.stripe..", "io.agentbilling.webhooks..",
                        "io.agentbilling.http..")
                .check(CORE);
    }

    @Test
    void each_rule_fails_on_a_class_that_breaks_it() {
        JavaClasses broken = new ClassFileImporter().importClasses(Violations.LedgerRuleUsingAPort.class,
                Violations.LedgerRuleWithAQueue.class, Violations.ReadsTheSystemClock.class,
                CycleA.class, CycleB.class);
        assertThatThrownBy(() -> THE_DOMAIN_DEPENDS_ON_ITSELF_AND_JAVA_ONLY.check(broken)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LedgerRuleUsingAPort");
        assertThatThrownBy(() -> THE_DOMAIN_STARTS_NO_THREADS.check(broken)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LedgerRuleWithAQueue");
        assertThatThrownBy(() -> NO_SYSTEM_CLOCK.check(broken)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ReadsTheSystemClock");
        assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(broken)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle");
        assertThat(CORE.containPackage("io.agentbilling.core.settlement.internal")).isTrue();
    }

    private static String[] withJava(String[] packages) {
        String[] all = java.util.Arrays.copyOf(packages, packages.length + 1);
        all[packages.length] = "java..";
        return all;
    }
}
