package io.tessera;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.util.Set;

/**
 * Keeps the core pure (DESIGN.md §2, STYLE.md): no store, HTTP, Kafka or mail classes, no I/O,
 * no wall clock, no sleeping, no environment. Time comes from an injected InstantSource.
 */
class CoreArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tessera");
    }

    @Test
    void coreDoesNotDependOnAdapterTechnologies() {
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "java.sql..", "javax.sql..", "java.net.http..",
                "org.sqlite..", "org.postgresql..", "com.zaxxer..", "org.flywaydb..",
                "org.apache.kafka..", "jakarta.mail..", "org.eclipse.angus..", "javax.mail..",
                "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..",
                "io.tessera.store..", "io.tessera.log..", "io.tessera.server..")
                .because("the core is pure: adapters implement its ports, never the other way round");
        rule.check(core);
    }

    @Test
    void coreOpensNoNetworkConnections() {
        noClasses().should().dependOnClassesThat(networkClasses())
                .because("only java.net's pure value classes (URI, URLEncoder/Decoder, IDN) belong in the core")
                .check(core);
    }

    private static DescribedPredicate<JavaClass> networkClasses() {
        Set<String> pure = Set.of("java.net.URI", "java.net.URISyntaxException", "java.net.URLEncoder",
                "java.net.URLDecoder", "java.net.IDN");
        return DescribedPredicate.describe("java.net classes that touch the network",
                c -> c.getPackageName().equals("java.net") && !pure.contains(c.getName()));
    }

    @Test
    void coreDoesNotReadTheWallClockSleepOrEnvironment() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("time comes from an injected InstantSource and configuration from the composition root")
                .check(core);
    }

    @Test
    void coreDoesNotDoFileIo() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.FileChannel")
                .because("reading files is the edge's job; the core takes streams or values")
                .check(core);
    }
}
