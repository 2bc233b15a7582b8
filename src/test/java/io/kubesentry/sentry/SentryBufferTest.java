package io.kubesentry.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.SentryDsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The buffer directory of a Sentry project")
class SentryBufferTest {

    @Test
    @DisplayName("the project's directory, whose files hold the DSN's public key, is the owner's alone")
    void ownerOnly(@TempDir Path dir) throws Exception {
        // Given: the buffer directory of KUBE_SENTRY_BUFFER_DIR
        SentryBuffer buffer = new SentryBuffer(100, Optional.of(dir));

        // When: the publisher makes it for a DSN
        Path project = buffer.directoryFor(SentryDsn.parse("SENTRY_DSN", "https://key@o1.ingest.sentry.io/1"))
                .orElseThrow();

        // Then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(project))).isEqualTo("rwx------");
    }
}
