package io.kubesentry.replay;

import io.kubesentry.app.KubeSentryApplication;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends recorded events through the running routes, as if the watch had delivered them. */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    private Replay() {
    }

    public static int run(KubeSentryApplication application, InputStream recording, String name) throws IOException {
        List<Object> events = RecordedEvents.read(recording);
        ProducerTemplate producer = application.producer();
        for (Object event : events) {
            producer.sendBodyAndHeader(KubeSentryApplication.EVENT_ENDPOINT, event, "CamelKubernetesEventAction",
                    "ADDED");
        }
        LOG.info("Replayed {} events from {}", events.size(), name);
        return events.size();
    }
}
