package io.kubesentry.sentry;

import io.kubesentry.core.SentryDsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * How much a Sentry client holds while Sentry does not take data, and where: memory only, or files in a
 * directory (KUBE_SENTRY_BUFFER_DIR, an emptyDir) that survive a restart.
 */
public record SentryBuffer(int envelopes, Optional<Path> directory, boolean waitForRoom) {

    public static final int DEFAULT_ENVELOPES = 2_000;

    /** Full, it drops what comes (counted): the agent's watch threads must never wait on Sentry. */
    public SentryBuffer(int envelopes, Optional<Path> directory) {
        this(envelopes, directory, false);
    }

    /** Full, the sender waits for room: a replay. */
    public SentryBuffer waiting() {
        return new SentryBuffer(envelopes, directory, true);
    }

    public static SentryBuffer inMemory() {
        return new SentryBuffer(DEFAULT_ENVELOPES, Optional.empty());
    }

    /** The directory of one Sentry project: each client keeps its own envelopes. */
    Optional<Path> directoryFor(SentryDsn dsn) {
        return directory.map(dir -> {
            Path project = dir.resolve((dsn.uri().getHost() + "-" + dsn.uri().getPath())
                    .replaceAll("[^A-Za-z0-9.-]", "_"));
            try {
                Files.createDirectories(project);
                if (project.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    // its files hold the DSN's public key: the owner alone lists and reads them
                    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwx------"));
                }
                return project;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Sentry buffer directory " + project, e);
            }
        });
    }
}
