package io.kubesentry.classify;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Why an image could not be pulled, read from the kubelet's message, with the fix that usually helps. */
public enum ImagePullFailure {
    RATE_LIMITED("toomanyrequests|rate limit|429 too many requests",
            "The registry is rate-limiting pulls: authenticate pulls (imagePullSecrets), use a mirror or pull-through"
                    + " cache, or pin images so nodes reuse what they have."),
    UNAUTHORIZED("unauthorized|authentication required|access denied|pull access denied|denied:|403 forbidden"
            + "|no basic auth credentials|insufficient_scope",
            "The registry refused the credentials: check the pod's imagePullSecrets (or its service account's),"
                    + " that the secret is in the pod's namespace, and that the token has not expired. Docker Hub"
                    + " answers \"pull access denied\" for a repository that does not exist too: check the image"
                    + " name as well."),
    // "not found" alone: "repository .* not found" found nothing more, and backtracked over long lines quadratically
    NOT_FOUND("not found|manifest unknown|does not exist|no such image|\\b404\\b"
            + "|name unknown|invalidimagename|invalid reference format",
            "The image or tag does not exist: check the image name and tag in the pod spec against the registry,"
                    + " and that the image was pushed for the node's architecture."),
    TIMEOUT("i/o timeout|timeout|deadline exceeded|connection refused|no such host|network is unreachable"
            + "|dial tcp|tls handshake",
            "The node cannot reach the registry: check DNS, egress firewall rules, proxy settings and the registry's"
                    + " availability from the node."),
    UNKNOWN("",
            "Read the kubelet's message in the pod's events: kubectl describe pod shows the registry's answer.");

    /** Image references and URLs: their words ("timeout-svc", "pr-404", a digest) are no registry verdict. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");

    private final Pattern pattern;
    private final String fixHint;

    ImagePullFailure(String regex, String fixHint) {
        this.pattern = Pattern.compile(regex);
        this.fixHint = fixHint;
    }

    /**
     * The first kind whose words the message contains outside quotes; rate limits first, as their messages
     * mention 429 too. Docker's "pull access denied ..., repository does not exist or may require 'docker
     * login'" is unauthorized: the registry denied access, and says the same for a missing repository.
     */
    public static ImagePullFailure of(String message) {
        String text = message == null ? "" : QUOTED.matcher(message).replaceAll("\"\"").toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(kind -> kind != UNKNOWN && kind.pattern.matcher(text).find())
                .findFirst()
                .orElse(UNKNOWN);
    }

    /**
     * Why the pulls of one incident fail. "Error: ImagePullBackOff" says nothing of why: the registry's answer is
     * in an earlier message of the same incident ("Failed to pull image ...: not found"), so the most recent
     * telling message wins.
     *
     * @param latest  the message of the occurrence being reported
     * @param earlier the incident's earlier messages, oldest first
     */
    public static ImagePullFailure ofIncident(String latest, List<String> earlier) {
        ImagePullFailure failure = of(latest);
        for (int i = earlier.size() - 1; i >= 0 && failure == UNKNOWN; i--) {
            failure = of(earlier.get(i));
        }
        return failure;
    }

    public String fixHint() {
        return fixHint;
    }

    /** {@code not-found}, {@code unauthorized}, ...: the tag value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
