package io.kubesentry.core;

/** The last lines a container wrote before it died ({@code kubectl logs --previous}), as read from the API. */
public record ContainerLog(String container, String text) {
}
