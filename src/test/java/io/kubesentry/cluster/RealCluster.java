package io.kubesentry.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: hands a test the real control plane, started once for all the test classes of a run (about 15 s)
 * and stopped when the run ends. Each test works in namespaces of its own.
 */
public final class RealCluster implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Shared.class, key -> new Shared(), Shared.class).plane;
    }

    private static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final ControlPlane plane;

        Shared() {
            try {
                plane = ControlPlane.start(Files.createTempDirectory("control-plane"), Testbed.pinned());
            } catch (IOException e) {
                throw new UncheckedIOException("the control plane did not start", e);
            }
        }

        @Override
        public void close() {
            plane.close();
        }
    }
}
