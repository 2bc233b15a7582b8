package io.kubesentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The command line")
class CommandLineTest {

    @Test
    @DisplayName("no arguments watch; help and version in their usual spellings")
    void commands() {
        assertThat(CommandLine.parse()).isEqualTo(new Command.Watch());
        assertThat(CommandLine.parse("watch")).isEqualTo(new Command.Watch());
        assertThat(CommandLine.parse("-h")).isEqualTo(new Command.Help(Optional.empty()));
        assertThat(CommandLine.parse("replay", "x.json", "--help")).isEqualTo(new Command.Help(Optional.of("replay")));
        assertThat(CommandLine.parse("--version")).isEqualTo(new Command.Version());
    }

    @Test
    @DisplayName("replay takes its options in either spelling, before or after the files")
    void replayOptions() {
        assertThat(CommandLine.parse("replay", "a.json", "--explain", "-", "--output=json", "--deadline", "30s"))
                .isEqualTo(new Command.Replay(List.of("a.json", "-"), true, Optional.of(Command.Output.JSON),
                        Optional.of(Duration.ofSeconds(30))));
        assertThat(CommandLine.parse("replay", "--", "--odd-name.json"))
                .isEqualTo(new Command.Replay(List.of("--odd-name.json"), false, Optional.empty(), Optional.empty()));
    }

    @Test
    @DisplayName("what cannot run is told in one line that names the problem")
    void unusable() {
        assertThat(CommandLine.parse("--verbose")).isEqualTo(new Command.Unusable("unknown option --verbose (see --help)"));
        assertThat(CommandLine.parse("replay")).isInstanceOf(Command.Unusable.class);
        assertThat(CommandLine.parse("replay", "--deadline", "soon", "a.json")).asString().contains("--deadline");
        assertThat(CommandLine.parse("replay", "-o", "yaml", "a.json")).asString().contains("expected text or json");
        assertThat(CommandLine.parse("watch", "extra")).isInstanceOf(Command.Unusable.class);
    }
}
