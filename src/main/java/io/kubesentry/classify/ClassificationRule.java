package io.kubesentry.classify;

import java.util.regex.Pattern;

/** Events with {@code rawReason} whose message matches {@code message} are reported as {@code reason}. */
record ClassificationRule(String rawReason, Pattern message, String reason) {

    static ClassificationRule rule(String rawReason, String messageRegex, String reason) {
        return new ClassificationRule(rawReason, Pattern.compile(messageRegex, Pattern.DOTALL), reason);
    }

    boolean matches(String eventReason, String eventMessage) {
        return rawReason.equals(eventReason) && message.matcher(eventMessage).find();
    }
}
