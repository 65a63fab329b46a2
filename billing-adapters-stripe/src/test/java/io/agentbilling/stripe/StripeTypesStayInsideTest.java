package io.agentbilling.stripe;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

/** Stripe's (Gson-backed) types never cross the module's public surface: callers see core types only. */
class StripeTypesStayInsideTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.agentbilling.stripe");

    @Test
    void public_signatures_use_no_stripe_or_gson_type() {
        codeUnits().that().arePublic().and().areDeclaredInClassesThat().arePublic()
                .should(new ArchCondition<JavaCodeUnit>("use no com.stripe or com.google.gson type") {
                    @Override
                    public void check(JavaCodeUnit unit, ConditionEvents events) {
                        Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream())
                                .filter(type -> isForeign(type))
                                .forEach(type -> events.add(SimpleConditionEvent.violated(unit,
                                        unit.getFullName() + " exposes " + type.getName())));
                    }
                })
                .check(MAIN);
    }

    @Test
    void only_the_gateway_and_its_config_are_public() {
        classes().that().haveModifier(JavaModifier.PUBLIC)
                .should().haveSimpleNameEndingWith("PaymentGateway").orShould().haveSimpleName("StripeConfig")
                .check(MAIN);
    }

    private static boolean isForeign(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        return base.getPackageName().startsWith("com.stripe") || base.getPackageName().startsWith("com.google.gson");
    }
}
