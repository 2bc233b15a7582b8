package io.kubesentry.replay;

import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.cli.Command;
import io.kubesentry.cli.ExitCode;
import io.kubesentry.config.Settings;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.sentry.ConsoleSentryPublisher;
import io.kubesentry.sentry.DiscardingPublisher;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SdkSentryPublisher;
import io.kubesentry.sentry.SentryBuffer;
import io.kubesentry.sentry.SentryPublisher;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** {@code replay FILE...}: the agent started without a cluster, the inputs replayed, Sentry's account settled. */
public final class ReplayCommand {

    private ReplayCommand() {
    }

    /** @return the exit code: what was read, or {@link ExitCode#NOT_DELIVERED} when something sent was lost */
    public static int run(Settings settings, Command.Replay command, String release) throws Exception {
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
        SentryAccount account = new SentryAccount(publisher(settings, mode, out, release));
        Replay replay;
        int code;
        try (KubeSentryApplication application = KubeSentryApplication.create(
                KubeSentryConfiguration.replaying(settings, account), KubeSentryApplication.routesOf(settings)).start()) {
            replay = new Replay(application, mode, out, System.err);
            code = replay.run(command.inputs(), System.in);
            if (sending) {
                account.deliver(command.deadline().orElse(settings.replayDeadline()));
            }
        } // closing counts what is still waiting as lost
        if (sending) {
            replay.delivery(account);
        }
        replay.printTotals();
        return code == ExitCode.OK && replay.anythingLost() ? ExitCode.NOT_DELIVERED : code;
    }

    /**
     * Explain sends nothing; text output prints what the routes decided, JSON output without a DSN what would be
     * sent. Sentry clients wait for room in their queues: a replay is never in a hurry.
     */
    private static SentryPublisher publisher(Settings settings, Replay.Mode mode, PrintStream out, String release) {
        if (mode == Replay.Mode.EXPLAIN) {
            return new DiscardingPublisher();
        }
        SentryBuffer waiting = new SentryBuffer(settings.bufferEnvelopes(), settings.bufferDirectory()).waiting();
        Function<SentryDsn, SentryPublisher> clients =
                dsn -> new SdkSentryPublisher(dsn, settings.environment(), release, waiting);
        SentryPublisher dryRun = mode == Replay.Mode.JSON ? new ConsoleSentryPublisher(out) : new DiscardingPublisher();
        return ProjectsPublisher.of(settings, settings.sentryDsn().map(clients).orElse(dryRun), clients);
    }
}
