# syntax=docker/dockerfile:1
# kube-sentry-events: the shaded jar on a JRE, as a non-root user.
#
#   docker build -t kube-sentry-events .
#   docker run --rm -e SENTRY_DSN=... -v ~/.kube/config:/kubeconfig:ro -e KUBECONFIG=/kubeconfig kube-sentry-events
#
# The Kubernetes manifests (deploy/) run it with a read-only root filesystem and an emptyDir at /tmp.

# --- build: mvn package, as the README does -------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
COPY routes ./routes
# the cache mount keeps ~/.m2 between builds (BuildKit). The test classes and their dependencies are the
# class archive's training run below (ArchiveTraining); none of them reaches the runtime image.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests \
    && mvn -B -q dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/training-lib

# --- runtime: a JRE, no build tools ----------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 kube-sentry \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin kube-sentry
WORKDIR /app
COPY --from=build /build/target/kube-sentry-events.jar /app/kube-sentry-events.jar

# Small footprint (docs/performance.md: each flag and why): about 115 MiB resident idle, 119 to 126 MiB at the
# peaks of the benchmark's storm and start-up (137 once), under the 256Mi limit of the manifests.
# -XX:+ExitOnOutOfMemoryError lets Kubernetes restart a JVM that ran out of heap instead of limping on.
# MALLOC_ARENA_MAX: glibc keeps a malloc arena per allocating thread (up to 8 per core); two hold what the JVM needs.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx48m -Xmn10m -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m -XX:CICompilerCount=1 -XX:+ExitOnOutOfMemoryError"
# Class data sharing: a training run leaves the classes the agent loaded (parsed and verified) in an archive that
# the agent maps at start-up instead of loading them from the jar again. The run (ArchiveTraining, from the
# build stage's test classes, mounted for this step only) starts the jar with the flags above against a mock
# API server and a recording Sentry on 127.0.0.1: list, watches, owner lookups, issues and logs over HTTP, then
# SIGTERM. The harness itself runs without those flags; it starts the agent with ShippedJvm.FLAGS, which
# DockerfileTest holds equal to the line above. The archive fits this jar and this JRE only; a JVM that finds it
# missing or stale starts without it (-Xlog:cds tells why).
RUN --mount=type=bind,from=build,source=/build/target,target=/training \
    env -u JAVA_TOOL_OPTIONS java -cp "/training/test-classes:/training/classes:/training/training-lib/*" \
        io.kubesentry.bench.ArchiveTraining /app/kube-sentry-events.jar /app/kube-sentry-events.jsa /tmp/archive-training \
    && rm -rf /tmp/archive-training
ENV JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS} -XX:SharedArchiveFile=/app/kube-sentry-events.jsa"

# numeric, so Kubernetes can check runAsNonRoot without reading /etc/passwd
USER 10001:10001
# health (/observe/health/live, /observe/health/ready) and Prometheus metrics (/observe/metrics)
EXPOSE 8080
ENTRYPOINT ["java","-jar","/app/kube-sentry-events.jar"]
