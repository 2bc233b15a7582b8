package io.kubesentry.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One control-plane binary run as a process, its output in {@code <name>.log} beside the control plane's files. */
final class ComponentProcess implements AutoCloseable {

    private final Process process;

    private ComponentProcess(Process process) {
        this.process = process;
    }

    static ComponentProcess start(Path dir, Path binary, String... flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(flags));
        String name = binary.getFileName().toString();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        return new ComponentProcess(process);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crashed control plane: no goodbye to its clients. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }
}
