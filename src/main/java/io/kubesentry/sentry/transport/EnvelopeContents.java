package io.kubesentry.sentry.transport;

import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;

/**
 * What an envelope carries, as a drop is counted: the type of its first item (event, log, ...) and how many
 * of them, so that an envelope of 100 logs lost is 100 logs in the metrics, not one.
 */
record EnvelopeContents(String category, int quantity) {

    static EnvelopeContents of(SentryEnvelope envelope) {
        String category = "unknown";
        int quantity = 0;
        for (SentryEnvelopeItem item : envelope.getItems()) {
            if (quantity == 0) {
                category = item.getHeader().getType().getItemType();
            }
            Integer count = item.getHeader().getItemCount();
            quantity += count == null ? 1 : count;
        }
        return new EnvelopeContents(category, Math.max(1, quantity));
    }

    /** Logs go in a lane of their own, and within a memory bound. */
    boolean isLog() {
        return "log".equals(category);
    }
}
