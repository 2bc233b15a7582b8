package io.kubesentry.camel;

import org.apache.camel.support.service.ServiceSupport;

/** Closes what the agent opened for Camel (the watches' client) once Camel has stopped its routes. */
final class ClosedOnStop extends ServiceSupport {

    private final AutoCloseable resource;

    ClosedOnStop(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
