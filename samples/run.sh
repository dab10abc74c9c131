#!/bin/sh
# Builds a sample and the modules it needs, then starts its development run with everything on:
#   samples/run.sh              the Spring Boot sample (spring-boot-service)
#   samples/run.sh --servlet    the plain Jetty servlet sample (servlet-service)
#   samples/run.sh --grpc       the plain grpc-java sample (grpc-service): gRPC on 9090, probes on 8081
# Anything after is passed to the application. Needs only a JDK 17+ and Maven 3.8+. The development run is the
# sample's test-sources main (DevSpringBootService, DevServletService, DevGrpcService) on its test class path: with no
# READINESS_SESSIONS_REDIS_URI it starts a local development Redis by itself and says so (the production jar,
# target/<name>.jar, holds none and stays unready without a Redis). With no READINESS_CONFIG_DIR, it watches
# samples/<name>/target/config. /readyz?verbose shows every check (READINESS_MANAGEMENT_DETAILS=true, for this
# local run only). Ctrl-C drains the service the way SIGTERM does in Kubernetes, and the log shows each step.
set -eu
cd "$(dirname "$0")/.."

sample=spring-boot-service
main=dev.readiness.samples.boot.DevSpringBootService
if [ "${1:-}" = "--servlet" ]; then
  sample=servlet-service
  main=dev.readiness.samples.servlet.DevServletService
  shift
elif [ "${1:-}" = "--grpc" ]; then
  sample=grpc-service
  main=dev.readiness.samples.grpc.DevGrpcService
  shift
fi

echo "building samples/$sample and the modules it needs (mvn -pl samples/$sample -am package -DskipTests) ..." >&2
mvn -B -q -pl "samples/$sample" -am package -DskipTests \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/run-classpath.txt

target=samples/$sample/target
classpath=$target/test-classes:$target/classes:$(cat "$target/run-classpath.txt")

if [ -z "${READINESS_MANAGEMENT_DETAILS:-}" ]; then
  READINESS_MANAGEMENT_DETAILS=true
  export READINESS_MANAGEMENT_DETAILS
  echo "READINESS_MANAGEMENT_DETAILS=true for this local run: /readyz?verbose shows every check (off by default in a pod)" >&2
fi

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
  exec sh "$entrypoint" java -cp "$classpath" "$main" "$@"
fi
exec java -cp "$classpath" "$main" "$@"
