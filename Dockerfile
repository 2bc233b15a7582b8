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
COPY src/main ./src/main
COPY routes ./routes
# the cache mount keeps ~/.m2 between builds (BuildKit)
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# --- runtime: a JRE, no build tools ----------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 kube-sentry \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin kube-sentry
WORKDIR /app
COPY --from=build /build/target/kube-sentry-events.jar /app/kube-sentry-events.jar
COPY examples/cluster-events.json /tmp/training-events.json

# Small footprint (README "Performance": each flag and why): about 122 MiB resident idle, 136 MiB at the peak
# of the benchmark's storm, under the 256Mi limit of the manifests.
# -XX:+ExitOnOutOfMemoryError lets Kubernetes restart a JVM that ran out of heap instead of limping on.
# MALLOC_ARENA_MAX: glibc keeps a malloc arena per allocating thread (up to 8 per core); two hold what the JVM needs.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx48m -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m -XX:CICompilerCount=1 -XX:+ExitOnOutOfMemoryError"
# Class data sharing: one replay of the bundled recording, with the flags above, leaves the classes it loaded
# (parsed and verified) in an archive that the agent maps at start-up instead of loading them from the jar again:
# a third less start-up time. The archive fits this jar and JDK only; a JVM that finds it missing or stale
# starts without it (-Xlog:cds tells why).
RUN java -XX:ArchiveClassesAtExit=/app/kube-sentry-events.jsa -jar /app/kube-sentry-events.jar \
        replay /tmp/training-events.json > /dev/null \
    && rm /tmp/training-events.json
ENV JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS} -XX:SharedArchiveFile=/app/kube-sentry-events.jsa"

# numeric, so Kubernetes can check runAsNonRoot without reading /etc/passwd
USER 10001:10001
# health (/observe/health/live, /observe/health/ready) and Prometheus metrics (/observe/metrics)
EXPOSE 8080
ENTRYPOINT ["java","-jar","/app/kube-sentry-events.jar"]
