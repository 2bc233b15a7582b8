package io.kubesentry.report;

import io.kubesentry.core.Occurrence;

/** The one-line text shared by an issue's title and a log's body. */
final class Messages {

    private Messages() {
    }

    /** {@code <Reason>: <kind>/<name> in <namespace>: <event message>}. */
    static String headline(Occurrence occurrence) {
        var object = occurrence.object();
        return occurrence.reason() + ": " + object.kind() + "/" + object.name() + " in " + occurrence.namespace()
                + ": " + occurrence.message();
    }
}
