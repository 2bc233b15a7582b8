package io.kubesentry;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.kubernetes.AgentClients;
import io.kubesentry.app.EscapedLogLines;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.app.StartupSummary;
import io.kubesentry.cli.Command;
import io.kubesentry.cli.CommandLine;
import io.kubesentry.cli.ExitCode;
import io.kubesentry.cli.Help;
import io.kubesentry.core.ConfigException;
import io.kubesentry.config.LogLevel;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.replay.Replay;
import io.kubesentry.replay.SentryAccount;
import io.kubesentry.sentry.ConsoleSentryPublisher;
import io.kubesentry.sentry.DiscardingPublisher;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SentryBuffer;
import io.kubesentry.sentry.SdkSentryPublisher;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.core.SentryDsn;
import java.util.function.Function;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code java -jar kube-sentry-events.jar} watches the cluster; {@code replay FILE...} (or
 * {@code -} for standard input) sends recorded {@code kubectl get events,pods -A -o json} output through the
 * same routes. Without SENTRY_DSN nothing is sent: issues and logs are printed. {@code --help} says the rest.
 */
public final class KubeSentryEvents {

    private KubeSentryEvents() {
    }

    public static void main(String[] args) throws Exception {
        Command command = CommandLine.parse(args);
        if (command instanceof Command.Help help) {
            System.out.print(help.topic().isPresent() ? Help.usage() + "\n\n" + Help.replay() : Help.full());
            System.exit(ExitCode.OK);
        } else if (command instanceof Command.Version) {
            System.out.println(release().replace('@', ' '));
            System.exit(ExitCode.OK);
        } else if (command instanceof Command.Unusable unusable) {
            System.err.println("kube-sentry-events: " + unusable.problem());
            System.exit(ExitCode.USAGE);
        }
        Settings settings;
        try {
            settings = SettingsParser.parse(System.getenv());
        } catch (ConfigException e) {
            System.err.println("kube-sentry-events: configuration error: " + e.getMessage());
            System.exit(ExitCode.CONFIG);
            return;
        }
        configureLogging(settings.logLevel(), command instanceof Command.Replay);
        SettingsParser.unknownReasonWarnings(settings).forEach(LoggerFactory.getLogger(KubeSentryEvents.class)::warn);
        if (command instanceof Command.Replay replay) {
            System.exit(replay(settings, replay));
        } else {
            watch(settings);
        }
    }

    private static void watch(Settings settings) throws Exception {
        Instant startedAt = Instant.now();
        // the client and Sentry start on two cores at once; the client's JSON mapping warms while Camel boots
        LoggerFactory.getILoggerFactory(); // configured before the client's thread logs too
        CompletableFuture<KubernetesClient> starting = CompletableFuture.supplyAsync(AgentClients::fromEnvironment);
        SentryPublisher publisher = ProjectsPublisher.fromSettings(settings, release());
        KubernetesClient client = started(starting);
        LoggerFactory.getLogger(KubeSentryEvents.class).info(StartupSummary.line(settings,
                String.valueOf(client.getMasterUrl()), context(client)));
        Thread warming = new Thread(() -> AgentClients.warm(client), "kubernetes-json-warm-up");
        warming.setDaemon(true);
        warming.start();
        KubeSentryApplication.create(settings, Optional.of(client), publisher,
                KubeSentryApplication.routesOf(settings), startedAt).run();
    }

    private static Optional<String> context(KubernetesClient client) {
        var current = client.getConfiguration().getCurrentContext();
        return Optional.ofNullable(current).map(c -> c.getName());
    }

    private static KubernetesClient started(CompletableFuture<KubernetesClient> client) {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static int replay(Settings settings, Command.Replay command) throws Exception {
        List<String> unopenable = Replay.unopenable(command.inputs());
        if (!unopenable.isEmpty()) {
            unopenable.forEach(problem -> System.err.println("kube-sentry-events: " + problem));
            return ExitCode.NO_INPUT;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8); // each item as it is read
        Command.Output output = command.output()
                .orElse(System.console() != null ? Command.Output.TEXT : Command.Output.JSON);
        Replay.Mode mode = command.explain() ? Replay.Mode.EXPLAIN
                : output == Command.Output.TEXT ? Replay.Mode.TEXT : Replay.Mode.JSON;
        boolean sending = mode != Replay.Mode.EXPLAIN
                && (settings.sentryDsn().isPresent() || !settings.routing().projects().isEmpty());
        SentryAccount account = new SentryAccount(replayPublisher(settings, mode, out));
        Replay replay;
        int code;
        try (KubeSentryApplication application = KubeSentryApplication.create(settings, Optional.empty(),
                account, KubeSentryApplication.routesOf(settings), Instant.MIN).start()) {
            replay = new Replay(application, mode, out, System.err);
            code = replay.run(command.inputs(), System.in);
            if (sending) {
                account.deliver(command.deadline().orElse(settings.replayDeadline()));
            }
        } // closing counts what is still waiting as lost
        if (sending) {
            replay.delivery(account.delivered(), account.lost());
        }
        replay.printTotals();
        return code == ExitCode.OK && replay.anythingLost() ? ExitCode.NOT_DELIVERED : code;
    }

    /**
     * Explain sends nothing; text output prints what the routes decided, JSON output without a DSN what would be
     * sent. Sentry clients wait for room in their queues: a replay is never in a hurry.
     */
    private static SentryPublisher replayPublisher(Settings settings, Replay.Mode mode, PrintStream out) {
        if (mode == Replay.Mode.EXPLAIN) {
            return new DiscardingPublisher();
        }
        SentryBuffer waiting = new SentryBuffer(settings.bufferEnvelopes(), settings.bufferDirectory()).waiting();
        Function<SentryDsn, SentryPublisher> clients =
                dsn -> new SdkSentryPublisher(dsn, settings.environment(), release(), waiting);
        SentryPublisher dryRun = mode == Replay.Mode.JSON ? new ConsoleSentryPublisher(out) : new DiscardingPublisher();
        return ProjectsPublisher.of(settings, settings.sentryDsn().map(clients).orElse(dryRun), clients);
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
        // a replay's last line counts what the agent would log at info
        System.setProperty("org.slf4j.simpleLogger.log.io.kubesentry",
                (replay && level == LogLevel.INFO ? LogLevel.WARN : level).slf4jName());
        // Camel's start-up internals (its configuration summary, the aggregator's defaults) only at debug; the
        // routes it starts stay at info
        String internals = level == LogLevel.DEBUG ? level.slf4jName() : LogLevel.WARN.slf4jName();
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.camel.main.BaseMainSupport", internals);
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.camel.processor.aggregate.AggregateProcessor",
                internals);
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
