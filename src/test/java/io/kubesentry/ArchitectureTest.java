package io.kubesentry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption.DoNotIncludeTests;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Where the libraries at the agent's edges may be used. fabric8 is read in {@code kubernetes} and driven by
 * {@code camel} (the watch components, the leader election); Camel runs in {@code camel}, its camel-main
 * bootstrap {@code app}, the command line's root package and {@code replay}, which hands recorded objects to
 * the routes.
 */
@AnalyzeClasses(packages = "io.kubesentry", importOptions = DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] DOMAIN = {"io.kubesentry.classify..", "io.kubesentry.threshold..",
            "io.kubesentry.dedup..", "io.kubesentry.filter..", "io.kubesentry.routing..", "io.kubesentry.core..",
            "io.kubesentry.workload..", "io.kubesentry.podstatus..", "io.kubesentry.config..",
            "io.kubesentry.report.."};

    @ArchTest
    static final ArchRule fabric8OnlyAtTheKubernetesEdge = noClasses()
            .that().resideOutsideOfPackages("io.kubesentry.kubernetes..", "io.kubesentry.camel..")
            .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
            .because("fabric8 types are read into the domain's records in io.kubesentry.kubernetes");

    @ArchTest
    static final ArchRule camelHoldsTheClientNotTheModel = noClasses()
            .that().resideInAPackage("io.kubesentry.camel")
            .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.api..")
            .because("the Camel layer hands camel-kubernetes its KubernetesClient; Events and Pods are read in "
                    + "io.kubesentry.kubernetes, their watches in io.kubesentry.camel.watch");

    @ArchTest
    static final ArchRule sentrySdkOnlyInTheSentryAdapter = noClasses()
            .that().resideOutsideOfPackage("io.kubesentry.sentry..")
            .should().dependOnClassesThat().resideInAPackage("io.sentry..");

    @ArchTest
    static final ArchRule reportsBuiltWithoutTheSdk = noClasses()
            .that().resideInAPackage("io.kubesentry.report..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sentry..", "io.kubesentry.sentry..")
            .because("issues and logs are plain records; only the adapter turns them into the SDK's events");

    @ArchTest
    static final ArchRule transportEnteredByItsDoorOnly = classes()
            .that().resideInAPackage("io.kubesentry.sentry.transport..").and().arePublic()
            .should().haveNameMatching("io\\.kubesentry\\.sentry\\.transport\\.SentryTransport(\\$.*)?")
            .because("the adapter fits a client with SentryTransport; queues, threads, retries and files stay inside");

    @ArchTest
    static final ArchRule transportBelowTheAdapter = noClasses()
            .that().resideInAPackage("io.kubesentry.sentry.transport..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kubesentry.sentry", "io.kubesentry.report..")
            .because("the transport moves envelopes; it tells what became of them through SentryTransport.Outcomes");

    @ArchTest
    static final ArchRule camelOnlyInCamelAndTheBootstrap = noClasses()
            .that().resideOutsideOfPackages("io.kubesentry.camel..", "io.kubesentry.app..", "io.kubesentry",
                    "io.kubesentry.replay..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..");

    @ArchTest
    static final ArchRule domainFreeOfTheEdgeLibraries = noClasses()
            .that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "org.apache.camel..", "io.sentry..")
            .because("the domain is plain Java, tested without a cluster, a Camel context or the SDK");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.kubesentry.(*)..").should().beFreeOfCycles();
}
