package dev.eider;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.eider");
    }

    @Test
    void duckDb_isUsedOnlyInsideStoreDuckdb() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.eider.store.duckdb..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.duckdb..")
                .check(classes);
    }

    @Test
    void packages_haveNoCycles() {
        slices().matching("dev.eider.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void exportAndIngest_doNotDependOnHttp() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.eider.export..", "dev.eider.ingest..", "dev.eider.store..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.eider.http..")
                .check(classes);
    }

    @Test
    void storePorts_doNotDependOnTheirImplementations() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.eider.store", "dev.eider.store.sql", "dev.eider.export..", "dev.eider.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.eider.store.duckdb..")
                .check(classes);
    }
}
