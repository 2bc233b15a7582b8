package io.kubesentry.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
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
 *
 * <p>New files are read before anything is replaced: files that do not parse, or whose routes would drop a
 * Kubernetes watch that runs now (e.g. the files replaced with {@code []}), are rejected and the running routes
 * go on untouched, their below-threshold counts with them. A watch dropped in a way only starting the routes
 * shows (through a Kamelet) leaves that watch stopped, and readiness names it.
 */
public final class RouteFilesReloader extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilesReloader.class);
    private static final String SUFFIX = ".camel.yaml";

    private final Path directory;
    private final Duration interval;
    private final Set<String> watchComponents;
    private final java.util.function.Consumer<String> outcomes;
    private CamelContext camelContext;
    private ScheduledExecutorService timer;
    private Map<String, String> running = Map.of();
    private Map<String, String> rejected = Map.of();

    /**
     * @param watchComponents the components whose routes a reload may not drop ({@code kubernetes-events})
     * @param outcomes        told {@code applied} or {@code rejected} after each change of the files
     */
    public RouteFilesReloader(Path directory, Duration interval, Set<String> watchComponents,
            java.util.function.Consumer<String> outcomes) {
        this.outcomes = outcomes;
        this.directory = directory.toAbsolutePath();
        this.interval = interval;
        this.watchComponents = Set.copyOf(watchComponents);
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
            Set<String> dropped = droppedWatches(current);
            if (!dropped.isEmpty()) {
                rejected = current;
                LOG.error("Rejected the route files in {}: they would drop the watch of {}. The running routes go on"
                        + " unchanged.", directory, dropped);
                outcomes.accept("rejected");
                return;
            }
        } catch (Exception e) {
            rejected = current;
            LOG.error("Rejected the route files in {}: {}. The running routes go on unchanged.", directory,
                    rootMessage(e));
            outcomes.accept("rejected");
            return;
        }
        try {
            replaceRoutes(current);
            running = current;
            rejected = Map.of();
            LOG.info("Reloaded routes from {}: {}", directory, current.keySet());
            outcomes.accept("applied");
        } catch (Exception e) {
            rejected = current;
            LOG.error("Rejected the route files in {}: {}. The last good routes keep running.", directory,
                    rootMessage(e));
            outcomes.accept("rejected");
            try {
                replaceRoutes(running);
            } catch (Exception restore) {
                LOG.error("Cannot restore the last good routes: {}", rootMessage(restore));
            }
        }
    }

    /**
     * The watch components running now that the files' routes would not start, read without touching the
     * running routes (a file that does not parse throws). Routes through a Kamelet cannot be told before they
     * start: then none.
     */
    private Set<String> droppedWatches(Map<String, String> files) throws Exception {
        Set<String> inputs = new TreeSet<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camelContext).findRoutesBuilders(resources(files))) {
            if (builder instanceof RouteBuilder routes) {
                for (RouteDefinition route : routes.configureRoutes(camelContext).getRoutes()) {
                    if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
                        inputs.add(scheme(route.getInput().getEndpointUri()));
                    }
                }
            }
        }
        if (inputs.contains("kamelet")) {
            return Set.of();
        }
        Set<String> dropped = new TreeSet<>();
        for (Route route : camelContext.getRoutes()) {
            String scheme = scheme(route.getEndpoint().getEndpointUri());
            if (watchComponents.contains(scheme) && !inputs.contains(scheme)) {
                dropped.add(scheme);
            }
        }
        return dropped;
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }

    private List<Resource> resources(Map<String, String> files) {
        return files.entrySet().stream()
                .map(file -> ResourceHelper.fromString("file:" + directory.resolve(file.getKey()), file.getValue()))
                .toList();
    }

    private void replaceRoutes(Map<String, String> files) throws Exception {
        List<Resource> resources = resources(files);
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
