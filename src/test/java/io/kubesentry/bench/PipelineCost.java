package io.kubesentry.bench;

import com.sun.management.ThreadMXBean;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.sentry.ConsoleSentryPublisher;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/**
 * The routes' own cost per occurrence, without an API server or Sentry in the way: recorded-style Events sent
 * straight into direct:classify-kubernetes-events, issues and logs printed to nowhere. A diagnosis tool
 * (java -XX:StartFlightRecording ...), not a test. The action header is the enum the watch consumer sets, as in production.
 */
public final class PipelineCost {

    public static void main(String[] args) throws Exception {
        int occurrences = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        boolean sdk = args.length > 1 && args[1].equals("sdk");
        SentryRecorder recorder = new SentryRecorder();
        List<List<Event>> rounds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            rounds.add(events(occurrences, round));
        }
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        var settings = SettingsParser.parse(sdk ? Map.of("SENTRY_DSN", recorder.dsn()) : Map.of());
        try (KubeSentryApplication app = KubeSentryApplication.create(KubeSentryConfiguration.replaying(settings,
                sdk ? ProjectsPublisher.fromSettings(settings, "bench") : new ConsoleSentryPublisher(nowhere)),
                KubeSentryApplication.routesIn(RunningAgent.SHIPPED_ROUTES)).start()) {
            ProducerTemplate producer = app.producer();
            ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            for (int round = 0; round < rounds.size(); round++) {
                long start = System.nanoTime();
                long cpu = thread.getCurrentThreadCpuTime();
                long allocated = thread.getCurrentThreadAllocatedBytes();
                for (Event event : rounds.get(round)) {
                    producer.sendBodyAndHeader(KubeSentryApplication.EVENT_ENDPOINT, event,
                            "CamelKubernetesEventAction", Watcher.Action.MODIFIED);
                }
                double micros = (System.nanoTime() - start) / 1_000.0 / occurrences;
                System.out.printf("round %d (%s): %.1f µs per occurrence (%,.0f/s); on the sending thread %.1f µs "
                        + "CPU and %,d bytes allocated per occurrence%n", round, sdk ? "Sentry SDK" : "console", micros,
                        1_000_000 / micros, (thread.getCurrentThreadCpuTime() - cpu) / 1_000.0 / occurrences,
                        (thread.getCurrentThreadAllocatedBytes() - allocated) / occurrences);
            }
        }
        recorder.close();
    }

    private static List<Event> events(int occurrences, int round) {
        List<Event> events = new ArrayList<>();
        String now = MockCluster.timestamp(Instant.now());
        for (int i = 0; i < occurrences; i++) {
            String pod = "api" + (i % 20) + "-7d9f8b6c5-x2k" + String.format("%02d", i % 10);
            events.add(new EventBuilder().withNewMetadata().withName(pod + "." + i).withNamespace("shop")
                    .withUid("uid-" + round + "-" + (i % 600)).endMetadata()
                    .withNewRegarding().withKind("Pod").withNamespace("shop").withName(pod)
                    .withFieldPath("spec.containers{app}").endRegarding()
                    .withReason(i % 3 == 0 ? "BackOff" : i % 3 == 1 ? "Unhealthy" : "FailedScheduling")
                    .withNote(i % 3 == 0 ? "Back-off restarting failed container app" : "Readiness probe failed")
                    .withType("Warning").withReportingController("kubelet").withReportingInstance("node-1")
                    .withDeprecatedCount(1 + i / 600).withDeprecatedLastTimestamp(now)
                    .withEventTime(new MicroTime(now)).build());
        }
        return events;
    }
}
