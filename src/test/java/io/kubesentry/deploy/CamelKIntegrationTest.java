package io.kubesentry.deploy;

import io.kubesentry.support.BeanRefs;

import static io.kubesentry.deploy.Manifests.CAMEL_K;
import static io.kubesentry.deploy.Manifests.PLAIN;
import static io.kubesentry.deploy.Manifests.SERIALIZATION;
import static io.kubesentry.deploy.Manifests.one;
import static io.kubesentry.deploy.Manifests.routeFiles;
import static io.kubesentry.deploy.Manifests.yamlFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Camel K Integration of deploy/camel-k")
class CamelKIntegrationTest {

    GenericKubernetesResource integration;
    List<Map<String, Object>> sources;

    @BeforeEach
    void parse() {
        List<HasMetadata> objects = new ArrayList<>();
        yamlFiles(CAMEL_K).forEach(file -> objects.addAll(Manifests.parse(file)));
        assertThat(objects).singleElement().isInstanceOf(GenericKubernetesResource.class);
        integration = (GenericKubernetesResource) objects.get(0);
        sources = integration.get("spec", "sources");
    }

    @Test
    @DisplayName("is a camel.apache.org/v1 Integration running one agent in the manifests' namespace")
    void kind() {
        assertThat(integration.getApiVersion()).isEqualTo("camel.apache.org/v1");
        assertThat(integration.getKind()).isEqualTo("Integration");
        assertThat(integration.getMetadata().getNamespace()).isEqualTo(Manifests.NAMESPACE);
        assertThat((Integer) integration.get("spec", "replicas")).isEqualTo(1);
    }

    @Test
    @DisplayName("runs every route file of routes/, from the routes ConfigMap of deploy/kubernetes")
    void routes() {
        ConfigMap configMap = one(Manifests.parse(PLAIN.resolve("05-configmap-routes.yaml")), ConfigMap.class);
        List<Map<String, Object>> routeSources = sources.stream()
                .filter(s -> String.valueOf(s.get("name")).endsWith(".camel.yaml")).toList();

        assertThat(routeSources).extracting(s -> s.get("name"))
                .containsExactlyInAnyOrderElementsOf(routeFiles().keySet());
        assertThat(routeSources).allSatisfy(source -> {
            assertThat(source).containsEntry("contentRef", configMap.getMetadata().getName())
                    .containsEntry("contentKey", source.get("name"))
                    .doesNotContainKey("content");
            // PlainManifestsTest holds the ConfigMap equal to routes/
            assertThat(configMap.getData()).containsKey((String) source.get("name"));
        });
    }

    @Test
    @DisplayName("declares the project's jar, at the chart's appVersion, as a dependency")
    void jarDependency() {
        List<String> dependencies = integration.get("spec", "dependencies");

        assertThat(dependencies).contains("mvn:io.kubesentry:kube-sentry-events:" + Manifests.chartAppVersion(),
                "camel:kubernetes", "camel:caffeine");
    }

    @Test
    @DisplayName("runs as the read-only ServiceAccount, with the DSN from the Secret and settings the chart knows")
    void identityAndEnvironment() {
        ServiceAccount account = one(Manifests.parse(PLAIN.resolve("01-serviceaccount.yaml")), ServiceAccount.class);
        assertThat((String) integration.get("spec", "serviceAccountName")).isEqualTo(account.getMetadata().getName());

        List<Map<String, Object>> containers = integration.get("spec", "template", "spec", "containers");
        assertThat(containers).singleElement().satisfies(container -> {
            assertThat(container).containsEntry("name", "integration");
            assertThat(SERIALIZATION.asJson(container.get("env")))
                    .isEqualTo("[{\"name\":\"SENTRY_DSN\",\"valueFrom\":{\"secretKeyRef\":"
                            + "{\"name\":\"kube-sentry-events\",\"key\":\"dsn\"}}}]");
        });

        Deployment plain = one(Manifests.parse(PLAIN.resolve("06-deployment.yaml")), Deployment.class);
        List<String> vars = integration.get("spec", "traits", "environment", "vars");
        assertThat(vars).allSatisfy(variable -> {
            String name = variable.substring(0, variable.indexOf('='));
            assertThat(Manifests.env(plain)).as("a setting of the program").containsKey(name);
            assertThat(name).isNotEqualTo("SENTRY_DSN");
        });
    }

    @Test
    @DisplayName("runs its container non-root, without privilege escalation or capabilities, seccomp RuntimeDefault")
    void containerSecurity() {
        Map<String, Object> container = integration.get("spec", "traits", "container");

        assertThat(container).containsEntry("runAsNonRoot", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("capabilitiesDrop", List.of("ALL"))
                .containsEntry("seccompProfileType", "RuntimeDefault");
    }

    @Test
    @DisplayName("binds, with its Java source compiled against the jar, every bean the route files name")
    void bindsTheBeansTheRoutesName(@TempDir Path dir) throws Exception {
        // Given: the Java source, compiled as Camel K compiles it
        Map<String, Object> java = sources.stream().filter(s -> String.valueOf(s.get("name")).endsWith(".java"))
                .findFirst().orElseThrow();
        String name = String.valueOf(java.get("name"));
        Path file = dir.resolve(name);
        Files.writeString(file, (String) java.get("content"), StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int compiled = compiler.run(null, null, null, "-classpath", classpath, "-d", dir.toString(),
                file.toString());
        assertThat(compiled).as("javac %s", name).isZero();

        // When: Camel K adds it to the context that runs the routes
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
                DefaultCamelContext context = new DefaultCamelContext()) {
            Class<?> type = loader.loadClass(name.replace(".java", ""));
            context.addRoutes((RoutesBuilder) type.getDeclaredConstructor().newInstance());

            // Then
            assertThat(beansNamedBy(routeFiles().values()))
                    .isNotEmpty()
                    .allSatisfy(bean -> assertThat(context.getRegistry().lookupByName(bean))
                            .as("bean %s", bean).isNotNull());
            assertThat(context.getPropertiesComponent().resolveProperty("kube-sentry.logs.enabled")).isPresent();
            context.getRegistry().findByType(KubernetesClient.class).forEach(KubernetesClient::close);
        }
    }

    /** The bean names a set of YAML route files refer to. */
    static Set<String> beansNamedBy(Collection<String> routeFiles) {
        Set<String> names = new TreeSet<>();
        for (String routes : routeFiles) {
            BeanRefs.collect(SERIALIZATION.unmarshal(routes, Object.class), names);
        }
        return names;
    }

}
