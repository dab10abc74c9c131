#!/bin/sh
# Builds a sample and the modules it needs, then starts it with everything on:
#   samples/run.sh              the Spring Boot sample (spring-boot-service)
#   samples/run.sh --servlet    the plain Jetty servlet sample (servlet-service)
#   samples/run.sh --grpc       the plain grpc-java sample (grpc-service): gRPC on 9090, probes on 8081
# Anything after is passed to the application. Needs only a JDK 17+ and Maven 3.8+. With no
# READINESS_SESSIONS_REDIS_URI, the sample starts a local development Redis by itself and says so; with no
# READINESS_CONFIG_DIR, it watches samples/<name>/target/config.
# Ctrl-C drains the service the way SIGTERM does in Kubernetes, and the log shows each step.
set -eu
cd "$(dirname "$0")/.."

sample=spring-boot-service
if [ "${1:-}" = "--servlet" ]; then
  sample=servlet-service
  shift
elif [ "${1:-}" = "--grpc" ]; then
  sample=grpc-service
  shift
fi

echo "building samples/$sample and the modules it needs (mvn -pl samples/$sample -am package -DskipTests) ..." >&2
mvn -B -q -pl "samples/$sample" -am package -DskipTests

target=samples/$sample/target

# Everything on: without a ConfigMap, watch a local directory holding the base ConfigMap's keys.
if [ -z "${READINESS_CONFIG_DIR:-}" ]; then
  READINESS_CONFIG_DIR=$(pwd)/$target/config
  if [ ! -d "$READINESS_CONFIG_DIR" ]; then
    mkdir -p "$READINESS_CONFIG_DIR"
    printf 'hello\n' > "$READINESS_CONFIG_DIR/greeting"
    printf 'feature.new-checkout=false\n' > "$READINESS_CONFIG_DIR/app.properties"
  fi
  export READINESS_CONFIG_DIR
  echo "READINESS_CONFIG_DIR is not set: watching $READINESS_CONFIG_DIR as the ConfigMap (edit a file there, then GET /config/<file name>)" >&2
fi
entrypoint=$target/entrypoint/readiness-gc-entrypoint.sh
if [ -f "$entrypoint" ]; then
  # The same start as in the container: heap and GC sized from this machine's (or cgroup's) limits.
  exec sh "$entrypoint" java -jar "$target/$sample.jar" "$@"
fi
exec java -jar "$target/$sample.jar" "$@"
