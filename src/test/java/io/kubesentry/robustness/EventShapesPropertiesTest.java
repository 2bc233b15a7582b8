package io.kubesentry.robustness;

import net.jqwik.api.Label;

/**
 * Runs {@link EventShapesProperties} in {@code mvn test}: surefire's default includes take only classes named
 * {@code *Test}, {@code *Tests} and {@code *TestCase}. Delete this class once surefire's {@code <includes>} names
 * {@code **}{@code /*Properties.java} too.
 */
@Label("Bad input never breaks the domain chain (mvn test)")
class EventShapesPropertiesTest extends EventShapesProperties {
}
