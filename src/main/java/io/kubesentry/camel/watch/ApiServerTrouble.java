package io.kubesentry.camel.watch;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why a watch failed, in one line an operator can act on: the API server's URL and the cause (connection
 * refused, TLS, credentials refused, a right the service account lacks), not fabric8's exception chain.
 *
 * @param kind    what went wrong, stable while the failure stays the same (logged once per change)
 * @param message the line to log, naming the server
 */
record ApiServerTrouble(String kind, String message) {

    /**
     * @param server   the API server's URL
     * @param verb     what the watch asked for (list, watch)
     * @param resource the resource, with its group ({@code events.events.k8s.io})
     */
    static ApiServerTrouble of(Throwable failure, String server, String verb, String resource) {
        KubernetesClientException answered = find(failure, KubernetesClientException.class);
        if (answered != null && answered.getCode() == 401) {
            return new ApiServerTrouble("401", "the API server at " + server
                    + " refused the agent's credentials (401 Unauthorized): check the service account token");
        }
        if (answered != null && answered.getCode() == 403) {
            return new ApiServerTrouble("403", "the API server at " + server + " forbids '" + verb + "' on "
                    + resource + " (403 Forbidden): the agent's ClusterRole must grant it");
        }
        if (answered != null && answered.getCode() > 0) {
            return new ApiServerTrouble("http-" + answered.getCode(), "the API server at " + server + " answered HTTP "
                    + answered.getCode() + " to '" + verb + "' on " + resource + ": " + statusMessage(answered));
        }
        if (find(failure, ConnectException.class) != null || find(failure, NoRouteToHostException.class) != null) {
            return new ApiServerTrouble("unreachable", "cannot connect to the API server at " + server
                    + " (connection refused)");
        }
        if (find(failure, UnknownHostException.class) != null) {
            return new ApiServerTrouble("dns", "cannot resolve the API server's host in " + server);
        }
        SSLException tls = find(failure, SSLException.class);
        if (tls != null || find(failure, GeneralSecurityException.class) != null) {
            return new ApiServerTrouble("tls", "TLS with the API server at " + server + " failed ("
                    + root(tls != null ? tls : failure).getMessage() + "): check its CA certificate");
        }
        if (find(failure, HttpConnectTimeoutException.class) != null || find(failure, HttpTimeoutException.class) != null
                || find(failure, SocketTimeoutException.class) != null || find(failure, TimeoutException.class) != null) {
            return new ApiServerTrouble("timeout", "the API server at " + server + " did not answer in time");
        }
        Throwable root = root(failure);
        return new ApiServerTrouble("other:" + root.getClass().getSimpleName(), "cannot " + verb + " " + resource
                + " at the API server " + server + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }

    private static String statusMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
    }

    private static <E extends Throwable> E find(Throwable failure, Class<E> type) {
        for (Throwable at = failure; at != null; at = at.getCause() == at ? null : at.getCause()) {
            if (type.isInstance(at)) {
                return type.cast(at);
            }
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
