package io.kubesentry.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code testbed/build.sh} put the control plane's binaries: {@code <root>/k8s/<release>-linux-amd64}, the
 * layout kube-api-test reads. The release is the one {@code testbed/kubernetes/go.mod} pins; the root is
 * {@code KUBE_SENTRY_TESTBED_DIR}, by default {@code ~/.cache/kube-sentry-events/testbed}.
 */
public record Testbed(Path root, String release) {

    static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kubectl", "kube-scheduler",
            "kube-controller-manager");
    private static final Pattern PINNED = Pattern.compile("(?m)^\\s*(?:require\\s+)?k8s\\.io/kubernetes v(\\S+)");

    /** The test bed this checkout pins, or a failure that names what is missing and how to get it. */
    public static Testbed pinned() {
        String env = System.getenv("KUBE_SENTRY_TESTBED_DIR");
        Path root = env == null || env.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "kube-sentry-events", "testbed")
                : Path.of(env);
        Testbed testbed = new Testbed(root, pinnedRelease(Path.of("testbed", "kubernetes", "go.mod")));
        for (String binary : BINARIES) {
            if (!Files.isExecutable(testbed.binary(binary))) {
                throw new IllegalStateException("The real-cluster tests need " + testbed.binary(binary)
                        + ": run testbed/build.sh (needs Go; `mvn verify` runs it before the integration tests)");
            }
        }
        return testbed;
    }

    private static String pinnedRelease(Path goMod) {
        try {
            Matcher matcher = PINNED.matcher(Files.readString(goMod));
            if (!matcher.find()) {
                throw new IllegalStateException(goMod + " pins no k8s.io/kubernetes release");
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + goMod.toAbsolutePath(), e);
        }
    }

    public Path binaries() {
        return root.resolve("k8s").resolve(release + "-linux-amd64");
    }

    public Path binary(String name) {
        return binaries().resolve(name);
    }

    /** kube-api-test keeps its certificates beside the binaries: a link gives each run its own certificates. */
    void linkInto(Path dir) throws IOException {
        Path k8s = dir.resolve("k8s");
        if (!Files.exists(k8s)) {
            Files.createSymbolicLink(k8s, root.resolve("k8s"));
        }
    }
}
