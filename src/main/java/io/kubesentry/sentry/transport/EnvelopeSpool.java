package io.kubesentry.sentry.transport;

import io.sentry.ISerializer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelopes waiting for Sentry, kept as files (on an emptyDir in a pod) so that a restart during an outage
 * loses nothing: each is written when queued, deleted once Sentry took it, and read back at the next start.
 * Each holds the DSN's public key (in its header): files are readable and writable by the owner only.
 */
final class EnvelopeSpool {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeSpool.class);
    private static final String SUFFIX = ".envelope";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);

    private final Path directory;
    private final ISerializer serializer;
    private final AtomicLong sequence = new AtomicLong();

    EnvelopeSpool(Path directory, ISerializer serializer) {
        this.directory = directory;
        this.serializer = serializer;
    }

    /** The file now holding the envelope, or null when it could not be written (it then waits in memory). */
    Path save(GzippedEnvelope envelope) {
        Path file = directory.resolve(String.format("%019d-%06d%s", System.currentTimeMillis(),
                sequence.incrementAndGet() % 1_000_000, SUFFIX));
        try {
            if (POSIX) {
                Files.createFile(file, OWNER_ONLY);
            }
            Files.write(file, envelope.body());
            return file;
        } catch (IOException e) {
            LOG.warn("Cannot keep an envelope in {} ({}); it waits in memory only", directory, e.getMessage());
            return null;
        }
    }

    void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot delete {} ({}): it may be sent again at the next start", file, e.getMessage());
            }
        }
    }

    /** The bytes of an envelope kept only here. */
    byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /**
     * What an earlier run left, oldest first, each handed over as it is read (so that the caller need not
     * hold all of it in memory); unreadable files are set aside with a warning.
     *
     * @return how many were handed over
     */
    int load(Consumer<Pending> earlier) {
        int loaded = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try {
                    if (POSIX) { // an earlier version wrote them readable by all
                        Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
                    }
                    GzippedEnvelope envelope = GzippedEnvelope.read(Files.readAllBytes(file), serializer);
                    earlier.accept(new Pending(envelope.contents(), envelope.body(), file));
                    loaded++;
                } catch (Exception e) {
                    LOG.warn("Cannot read {} ({})", file, e.getMessage());
                    Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the envelopes kept in {} ({})", directory, e.getMessage());
        }
        return loaded;
    }

    /**
     * An envelope on its way to Sentry: its gzipped bytes (null once they are kept on disk only) and the file
     * that keeps it (null without a spool, or when it could not be written).
     */
    record Pending(EnvelopeContents contents, byte[] body, Path file) {

        Pending(GzippedEnvelope envelope, Path file) {
            this(envelope.contents(), envelope.body(), file);
        }

        boolean inMemory() {
            return body != null;
        }

        Pending onDiskOnly() {
            return new Pending(contents, null, file);
        }
    }
}
