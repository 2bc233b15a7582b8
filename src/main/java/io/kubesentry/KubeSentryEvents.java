package io.kubesentry;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.app.AgentClients;
import io.kubesentry.app.EscapedLogLines;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.config.ConfigException;
import io.kubesentry.config.LogLevel;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.replay.Replay;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SentryPublisher;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code java -jar kube-sentry-events.jar} watches the cluster; {@code replay FILE} (or
 * {@code -} for standard input) sends recorded {@code kubectl get events -o json} output through the same
 * routes. Without SENTRY_DSN nothing is sent: each issue and log is printed as a JSON line instead.
 */
public final class KubeSentryEvents {

    static final int EXIT_CONFIG = 2;
    static final int EXIT_USAGE = 64;

    private KubeSentryEvents() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = SettingsParser.parse(System.getenv());
        } catch (ConfigException e) {
            System.err.println("kube-sentry-events: configuration error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        boolean replay = args.length > 0 && args[0].equals("replay");
        configureLogging(settings.logLevel(), replay);

        if (args.length == 0) {
            watch(settings);
        } else if (replay && args.length == 2) {
            System.exit(replay(settings, args[1]));
        } else {
            System.err.println("usage: kube-sentry-events [replay FILE|-]");
            System.exit(EXIT_USAGE);
        }
    }

    private static void watch(Settings settings) throws Exception {
        Instant startedAt = Instant.now();
        // the client and Sentry start on two cores at once; the client's JSON mapping warms while Camel boots
        LoggerFactory.getILoggerFactory(); // configured before the client's thread logs too
        CompletableFuture<KubernetesClient> starting = CompletableFuture.supplyAsync(AgentClients::fromEnvironment);
        SentryPublisher publisher = publisher(settings);
        KubernetesClient client = started(starting);
        Thread warming = new Thread(() -> AgentClients.warm(client), "kubernetes-json-warm-up");
        warming.setDaemon(true);
        warming.start();
        KubeSentryApplication.create(settings, Optional.of(client), publisher,
                KubeSentryApplication.routesOf(settings), startedAt).run();
    }

    private static KubernetesClient started(CompletableFuture<KubernetesClient> client) {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static int replay(Settings settings, String file) throws Exception {
        if (!file.equals("-") && !Files.isReadable(Path.of(file))) {
            System.err.println("kube-sentry-events: cannot read " + file);
            return EXIT_USAGE;
        }
        try (KubeSentryApplication application = KubeSentryApplication.create(settings, Optional.empty(),
                publisher(settings), KubeSentryApplication.routesOf(settings), Instant.MIN).start();
                InputStream recording = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            Replay.run(application, recording, file);
        }
        return 0;
    }

    private static SentryPublisher publisher(Settings settings) {
        return ProjectsPublisher.fromSettings(settings, release());
    }

    static String release() {
        String version = KubeSentryEvents.class.getPackage().getImplementationVersion();
        return "kube-sentry-events@" + (version == null ? "dev" : version);
    }

    /** slf4j-simple reads these once, at its first logger: this runs before any. */
    private static void configureLogging(LogLevel level, boolean replay) {
        // a replay's output is the point: Camel's start-up lines would only bury it
        LogLevel floor = replay ? LogLevel.WARN : LogLevel.INFO;
        String libraries = level.compareTo(floor) < 0 ? floor.slf4jName() : level.slf4jName();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", libraries);
        System.setProperty("org.slf4j.simpleLogger.log.io.kubesentry", level.slf4jName());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // fabric8 logs each watch retry with its stack trace: the watch consumer reports the cause once instead
        String watchInternals = level.compareTo(LogLevel.DEBUG) <= 0 ? level.slf4jName() : "off";
        for (String quiet : List.of("AbstractWatchManager", "WatchConnectionManager", "WatchHTTPManager",
                "WatcherWebSocketListener")) {
            System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal." + quiet,
                    watchInternals);
        }
        EscapedLogLines.install();
    }
}
