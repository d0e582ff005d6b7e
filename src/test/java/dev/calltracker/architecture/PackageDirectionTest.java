package dev.calltracker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every pair of the service's packages depends one way only, downwards through the layers: a feature may use
 * the plumbing below it, never the other way round. Reads the compiled main classes (not the tests).
 */
class PackageDirectionTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.calltracker");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("dev.calltracker.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void packagesDependOnlyOnLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.calltracker..")
                .withOptionalLayers(true)
                .layer("launcher").definedBy("dev.calltracker.embedded..", "dev.calltracker.prod..")
                .layer("app").definedBy("dev.calltracker.app..")
                .layer("operations").definedBy("dev.calltracker.diagnostics..", "dev.calltracker.admin..")
                .layer("use cases").definedBy("dev.calltracker.voice..", "dev.calltracker.reconcile..",
                        "dev.calltracker.retention..", "dev.calltracker.webhook..")
                .layer("domain").definedBy("dev.calltracker.call..", "dev.calltracker.lead..")
                .layer("edge").definedBy("dev.calltracker.twilio..", "dev.calltracker.security..")
                .layer("plumbing").definedBy("dev.calltracker.config..", "dev.calltracker.db..", "dev.calltracker.http..",
                        "dev.calltracker.logging..")
                .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("app").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("operations").mayOnlyBeAccessedByLayers("launcher", "app")
                .whereLayer("use cases").mayOnlyBeAccessedByLayers("launcher", "app", "operations")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("launcher", "app", "operations", "use cases")
                .whereLayer("edge").mayOnlyBeAccessedByLayers("launcher", "app", "operations", "use cases", "domain")
                .check(classes);
    }

    /** Every use of the database has a deadline: the pool is reached only through {@code db/Database}. */
    @Test
    void onlyTheDatabasePackageUsesTheConnectionPool() {
        noClasses().that().resideOutsideOfPackage("dev.calltracker.db..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.mutiny.sqlclient.Pool")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.sqlclient.Pool")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.mutiny.pgclient.PgPool")
                .because("db/Database bounds every use of a pooled connection with a deadline")
                .check(classes);
    }
}
