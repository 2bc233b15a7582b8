package io.kubesentry.core;

/** A configuration value that cannot be used; the message names the variable and the accepted format. */
public final class ConfigException extends RuntimeException {

    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
