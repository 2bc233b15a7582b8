package io.kubesentry.bench;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.MockCluster;

/** How the storm's writers put an Event into the mock API server (see {@link StormBenchmark#EVENTS_API}). */
interface EventWrites {

    /** Creates the Event and returns it as stored (with its resourceVersion). */
    Event create(Event event);

    /** Writes the Event again (its count grown) and returns it as stored. */
    Event update(Event event);

    static EventWrites of(String mode, MockCluster cluster) throws ReflectiveOperationException {
        return switch (mode) {
            case "crud" -> client(cluster);
            case "http" -> {
                StormEventsApi.install(cluster.server());
                yield client(cluster);
            }
            case "direct" -> {
                StormEventsApi api = StormEventsApi.install(cluster.server());
                yield new EventWrites() {
                    @Override
                    public Event create(Event event) {
                        return api.create(event);
                    }

                    @Override
                    public Event update(Event event) {
                        return api.update(event);
                    }
                };
            }
            default -> throw new IllegalArgumentException("bench.events-api: direct, http or crud, not " + mode);
        };
    }

    static String describe(String mode) {
        return switch (mode) {
            case "crud" -> "Events through the fabric8 client to the mock's CRUD store";
            case "http" -> "Events through the fabric8 client to StormEventsApi, in front of the CRUD store";
            default -> "Events written into StormEventsApi in the benchmark's process; the agent watches it over HTTP";
        };
    }

    private static EventWrites client(MockCluster cluster) {
        return new EventWrites() {
            @Override
            public Event create(Event event) {
                return cluster.client().events().v1().events().inNamespace(event.getMetadata().getNamespace())
                        .resource(event).create();
            }

            @Override
            public Event update(Event event) {
                return cluster.client().events().v1().events().inNamespace(event.getMetadata().getNamespace())
                        .resource(event).update();
            }
        };
    }
}
