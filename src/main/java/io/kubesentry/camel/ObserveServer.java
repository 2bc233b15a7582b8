package io.kubesentry.camel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health and metrics on one port, served by the JDK's own HTTP server on one thread: probes and a scrape
 * every few seconds need no Vert.x, Netty or their threads and buffers (README "Performance").
 * <ul>
 * <li>{@code /observe/health/live}, {@code /observe/health/ready}: 200 when every check is UP, else 503</li>
 * <li>{@code /observe/health}: both</li>
 * <li>{@code /observe/metrics}: Prometheus text</li>
 * </ul>
 * Only GET and HEAD are answered; any other method gets 405.
 */
public final class ObserveServer extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

    private final String host;
    private final int port;
    private final PrometheusMeterRegistry meters;
    private CamelContext camelContext;
    private HttpServer server;
    private ExecutorService executor;

    public ObserveServer(String host, int port, PrometheusMeterRegistry meters) {
        this.host = host;
        this.port = port;
        this.meters = meters;
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
    protected void doStart() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", readOnly(exchange -> respond(exchange, 404, "text/plain; charset=utf-8", "not found")));
        server.createContext("/observe/health/live", readOnly(health(HealthCheckHelper::invokeLiveness)));
        server.createContext("/observe/health/ready", readOnly(health(HealthCheckHelper::invokeReadiness)));
        server.createContext("/observe/health", readOnly(health(HealthCheckHelper::invoke)));
        server.createContext("/observe/metrics", readOnly(exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", meters.scrape())));
        executor = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "observe-http");
        server.setExecutor(executor);
        server.start();
        LOG.info("Health and metrics on http://{}:{}/observe", host, server.getAddress().getPort());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            camelContext.getExecutorServiceManager().shutdownNow(executor);
        }
    }

    private static HttpHandler readOnly(HttpHandler handler) {
        return exchange -> {
            String method = exchange.getRequestMethod();
            if ("GET".equals(method) || "HEAD".equals(method)) {
                handler.handle(exchange);
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed");
            }
        };
    }

    private HttpHandler health(Function<CamelContext, Collection<HealthCheck.Result>> checks) {
        return exchange -> {
            Collection<HealthCheck.Result> results;
            try {
                results = checks.apply(camelContext);
            } catch (RuntimeException e) {
                LOG.warn("Health checks failed: {}", e.getMessage());
                respond(exchange, 503, "text/plain; charset=utf-8", "health checks failed: " + e.getMessage());
                return;
            }
            boolean up = !results.isEmpty() && results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
            respond(exchange, up ? 200 : 503, "application/json", HealthJson.of(up, results));
        };
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
