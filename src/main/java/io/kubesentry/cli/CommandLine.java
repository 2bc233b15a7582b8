package io.kubesentry.cli;

import io.kubesentry.config.Durations;
import io.kubesentry.core.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the arguments into a {@link Command}; never throws, never prints. */
public final class CommandLine {

    private CommandLine() {
    }

    public static Command parse(String... args) {
        if (args.length == 0) {
            return new Command.Watch();
        }
        String first = args[0];
        return switch (first) {
            case "--help", "-h", "help" -> new Command.Help(args.length > 1 && args[1].equals("replay")
                    ? Optional.of("replay") : Optional.empty());
            case "--version", "-V", "version" -> new Command.Version();
            case "watch" -> args.length == 1 ? new Command.Watch() : unusable(args[1], "watch");
            case "replay" -> replay(args);
            default -> first.startsWith("-") ? unknownOption(first, null)
                    : new Command.Unusable("unknown command '" + first + "'; expected replay, watch, help or --version");
        };
    }

    private static Command replay(String[] args) {
        List<String> inputs = new ArrayList<>();
        boolean explain = false;
        Optional<Command.Output> output = Optional.empty();
        Optional<Duration> deadline = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--help", "-h" -> {
                    return new Command.Help(Optional.of("replay"));
                }
                case "--explain" -> explain = true;
                case "--output", "-o" -> {
                    Optional<String> value = value(args, i, arg);
                    if (value.isEmpty()) {
                        return new Command.Unusable(name + " needs a value: text or json");
                    }
                    i += arg.contains("=") ? 0 : 1;
                    switch (value.get().toLowerCase(Locale.ROOT)) {
                        case "text" -> output = Optional.of(Command.Output.TEXT);
                        case "json" -> output = Optional.of(Command.Output.JSON);
                        default -> {
                            return new Command.Unusable(name + " '" + value.get() + "': expected text or json");
                        }
                    }
                }
                case "--deadline" -> {
                    Optional<String> value = value(args, i, arg);
                    if (value.isEmpty()) {
                        return new Command.Unusable("--deadline needs a duration such as 30s or 3m");
                    }
                    i += arg.contains("=") ? 0 : 1;
                    try {
                        deadline = Optional.of(Durations.parse("--deadline", value.get()));
                    } catch (ConfigException e) {
                        return new Command.Unusable(e.getMessage());
                    }
                }
                case "-" -> inputs.add(arg);
                case "--" -> {
                    for (i++; i < args.length; i++) {
                        inputs.add(args[i]);
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return unknownOption(arg, "replay");
                    }
                    inputs.add(arg);
                }
            }
        }
        if (inputs.isEmpty()) {
            return new Command.Unusable("replay needs a file: the output of kubectl get events,pods -A -o json "
                    + "(or - for standard input)");
        }
        return new Command.Replay(List.copyOf(inputs), explain, output, deadline);
    }

    /** {@code --name=value} or {@code --name value}. */
    private static Optional<String> value(String[] args, int i, String arg) {
        if (arg.startsWith("--") && arg.contains("=")) {
            return Optional.of(arg.substring(arg.indexOf('=') + 1)).filter(v -> !v.isBlank());
        }
        return i + 1 < args.length ? Optional.of(args[i + 1]) : Optional.empty();
    }

    private static Command unusable(String arg, String command) {
        return arg.startsWith("-") ? unknownOption(arg, command)
                : new Command.Unusable("'" + arg + "': " + command + " takes no arguments");
    }

    private static Command unknownOption(String option, String command) {
        return new Command.Unusable("unknown option " + option + (command == null ? "" : " for " + command)
                + " (see --help)");
    }
}
