package io.kubesentry.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes when the {@code *.camel.yaml} in the routes directory change, and keeps the last good
 * routes running when the new ones fail to load. It compares file contents on a timer instead of waiting for
 * file-system events: a ConfigMap volume changes by swapping a {@code ..data} symlink, which a watch on the
 * route files never sees.
 */
public final class RouteFilesReloader extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilesReloader.class);
    private static final String SUFFIX = ".camel.yaml";

    private final Path directory;
    private final Duration interval;
    private CamelContext camelContext;
    private ScheduledExecutorService timer;
    private Map<String, String> running = Map.of();
    private Map<String, String> rejected = Map.of();

    public RouteFilesReloader(Path directory, Duration interval) {
        this.directory = directory.toAbsolutePath();
        this.interval = interval;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() {
        running = read();
        timer = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "routes-reload");
        timer.scheduleWithFixedDelay(this::checkSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Reloading routes from {} when its *{} change (checked every {}s)", directory, SUFFIX,
                interval.toSeconds());
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            camelContext.getExecutorServiceManager().shutdownNow(timer);
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the route files in {}: {}", directory, e.getMessage());
        }
    }

    /** Loads the files if they changed since the last load; on failure puts the last good routes back. */
    void check() {
        Map<String, String> current = read();
        if (current.equals(running) || current.equals(rejected)) {
            return;
        }
        try {
            replaceRoutes(current);
            running = current;
            rejected = Map.of();
            LOG.info("Reloaded routes from {}: {}", directory, current.keySet());
        } catch (Exception e) {
            rejected = current;
            LOG.error("Rejected the route files in {}: {}. The last good routes keep running.", directory,
                    rootMessage(e));
            try {
                replaceRoutes(running);
            } catch (Exception restore) {
                LOG.error("Cannot restore the last good routes: {}", rootMessage(restore));
            }
        }
    }

    private void replaceRoutes(Map<String, String> files) throws Exception {
        List<Resource> resources = files.entrySet().stream()
                .map(file -> ResourceHelper.fromString("file:" + directory.resolve(file.getKey()), file.getValue()))
                .toList();
        camelContext.getRouteController().removeAllRoutes();
        // route configurations (error handling) come from the same files: they are loaded again too
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteConfigurationDefinition configuration : List.copyOf(model.getRouteConfigurationDefinitions())) {
            model.removeRouteConfiguration(configuration);
        }
        PluginHelper.getRoutesLoader(camelContext).loadRoutes(resources);
    }

    private Map<String, String> read() {
        try (Stream<Path> files = Files.list(directory)) {
            Map<String, String> contents = new TreeMap<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                contents.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
            return contents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
