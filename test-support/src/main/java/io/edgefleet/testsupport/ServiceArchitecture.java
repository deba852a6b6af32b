package io.edgefleet.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering every service keeps (docs/architecture.md, "Code layout"), checked on its compiled classes as
 * Strimzi checks its imports: {@code rest → service → repository}, Kafka in {@code messaging.in} (consumers: thin
 * adapters in front of the service) and {@code messaging.out} (publishers), no cycles between packages.
 * A service's {@code ArchitectureTest} calls {@link #check(String)} with its root package.
 */
public final class ServiceArchitecture {

    private ServiceArchitecture() {}

    /** Fails with every broken rule and each offending dependency. */
    public static void check(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        List<AssertionError> broken = new ArrayList<>();
        for (ArchRule rule : rules(rootPackage)) {
            try {
                rule.check(classes);
            } catch (AssertionError e) {
                broken.add(e);
            }
        }
        if (!broken.isEmpty()) {
            AssertionError all = new AssertionError(broken.size() + " architecture rule(s) broken in " + rootPackage
                    + ":\n"
                    + String.join(
                            "\n", broken.stream().map(Throwable::getMessage).toList()));
            broken.forEach(all::addSuppressed);
            throw all;
        }
    }

    /**
     * Fails unless every {@code @QuarkusTest} below {@code rootPackage} also carries the module's test-resource
     * annotation: one without it would start the application again, without the resources.
     */
    public static void checkQuarkusTestsUse(String rootPackage, Class<? extends Annotation> testResources) {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(rootPackage);
        classes()
                .that()
                .areAnnotatedWith("io.quarkus.test.junit.QuarkusTest")
                .should()
                .beAnnotatedWith(testResources)
                .because("the same test resources on every class: Quarkus starts once for the suite")
                .check(tests);
    }

    static List<ArchRule> rules(String root) {
        String rest = root + ".rest..";
        String service = root + ".service..";
        String repository = root + ".repository..";
        String messaging = root + ".messaging..";
        String incoming = root + ".messaging.in..";
        String outgoing = root + ".messaging.out..";
        return List.of(
                slices().matching(root + ".(**)")
                        .should()
                        .beFreeOfCycles()
                        .because("a package cycle makes neither side understandable alone"),
                noClasses()
                        .that()
                        .resideInAnyPackage(service, repository, messaging, root + ".config..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(rest)
                        .because(
                                "REST is the outermost layer: requests become service records (e.g. validated() → NewCluster)")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(repository)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(service, messaging)
                        .because("entities know nothing of what uses them")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(outgoing)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(incoming, service)
                        .because("publishers are called by the service layer, not the other way round")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideOutsideOfPackage(incoming)
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(incoming)
                        .because("consumers are entry points: nothing calls them")
                        .allowEmptyShould(true));
    }
}
