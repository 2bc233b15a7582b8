package io.kubesentry;

import io.kubesentry.app.EscapedLogLines;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.app.StartupSummary;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.cli.Command;
import io.kubesentry.cli.CommandLine;
import io.kubesentry.cli.ExitCode;
import io.kubesentry.cli.Help;
import io.kubesentry.config.LogLevel;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.core.ConfigException;
import io.kubesentry.replay.ReplayCommand;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The command line: reads the settings, configures the log and runs the watch or the replay.
 * {@code java -jar kube-sentry-events.jar} watches the cluster; {@code replay FILE...} (or {@code -} for standard
 * input) sends recorded {@code kubectl get events,pods -A -o json} output through the same routes. Without SENTRY_DSN nothing is sent: issues and logs are printed. {@code --help} says the rest.
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
            System.exit(ReplayCommand.run(settings, replay, release()));
        } else {
            watch(settings);
        }
    }

    private static void watch(Settings settings) throws Exception {
        KubeSentryConfiguration agent = KubeSentryConfiguration.watching(settings, release(), (apiServer, context) ->
                LoggerFactory.getLogger(KubeSentryEvents.class).info(StartupSummary.line(settings, apiServer, context)));
        KubeSentryApplication.create(agent, KubeSentryApplication.routesOf(settings)).run();
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
