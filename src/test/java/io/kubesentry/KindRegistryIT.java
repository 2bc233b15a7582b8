package io.kubesentry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar registers with fabric8 only the Kubernetes kinds named in
 * {@code src/main/resources/META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource} (pom.xml, shade
 * filters), and reads watch events of those kinds as their own types. Runs under maven-failsafe on the jar.
 */
class KindRegistryIT {

    private static final String REGISTRY = "META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource";
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path JAR = BASE.resolve("target/kube-sentry-events.jar");

    @Test
    void theJarRegistersTheNamedKindsAndNoOthers() throws IOException {
        List<String> named = kinds(Files.readString(BASE.resolve("src/main/resources").resolve(REGISTRY)));
        try (JarFile jar = new JarFile(JAR.toFile()); InputStream registry = jar.getInputStream(jar.getEntry(REGISTRY))) {
            List<String> registered = kinds(new String(registry.readAllBytes(), StandardCharsets.UTF_8));

            assertThat(registered).containsExactlyInAnyOrderElementsOf(named);
            for (String kind : named) {
                assertThat(jar.getEntry(kind.replace('.', '/') + ".class")).as(kind).isNotNull();
            }
        }
        assertThat(named).contains("io.fabric8.kubernetes.api.model.events.v1.Event",
                "io.fabric8.kubernetes.api.model.Pod", "io.fabric8.kubernetes.api.model.Status",
                "io.fabric8.kubernetes.api.model.coordination.v1.Lease");
    }

    @Test
    void watchEventsOfTheNamedKindsAreReadAsTheirTypesAndOthersAsGeneric() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader test = thread.getContextClassLoader();
        try (URLClassLoader jar = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(jar); // fabric8 looks up the registry through this loader too
            assertThat(watchedObjectType(jar, "events.k8s.io/v1", "Event"))
                    .isEqualTo("io.fabric8.kubernetes.api.model.events.v1.Event");
            assertThat(watchedObjectType(jar, "v1", "Pod")).isEqualTo("io.fabric8.kubernetes.api.model.Pod");
            assertThat(watchedObjectType(jar, "v1", "Status")).isEqualTo("io.fabric8.kubernetes.api.model.Status");
            assertThat(watchedObjectType(jar, "gateway.networking.k8s.io/v1", "Gateway"))
                    .isEqualTo("io.fabric8.kubernetes.api.model.GenericKubernetesResource");
        } finally {
            thread.setContextClassLoader(test);
        }
    }

    /** What fabric8, loaded from the jar alone, makes of a watch event's object. */
    private static String watchedObjectType(ClassLoader jar, String apiVersion, String kind) throws Exception {
        Class<?> serialization = jar.loadClass("io.fabric8.kubernetes.client.utils.KubernetesSerialization");
        Class<?> watchEvent = jar.loadClass("io.fabric8.kubernetes.api.model.WatchEvent");
        Object json = serialization.getConstructor().newInstance();
        Method unmarshal = serialization.getMethod("unmarshal", String.class, Class.class);
        Object event = unmarshal.invoke(json, "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"" + apiVersion
                + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"x\",\"namespace\":\"y\"}}}", watchEvent);
        return watchEvent.getMethod("getObject").invoke(event).getClass().getName();
    }

    private static List<String> kinds(String registry) {
        return registry.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
}
