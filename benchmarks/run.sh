#!/bin/sh
# Runs every benchmark of the report and writes src/docs/benchmarks.md and src/docs/benchmarks/*.png.
#   benchmarks/run.sh [--quick|--full] [--only probes,sessions,drain,reload,gc,containers,listen,grpc,scaling,startup]
# (containers: root, podman, runc and debootstrap; it builds the images with containers/build-images.sh)
# --quick (the default) is a smoke run of a few minutes; --full takes longer with more repetitions.
# Builds the benchmarks jar and the Spring Boot sample first (tests skipped), from the repository root.
set -eu
cd "$(dirname "$0")/.."
modules=benchmarks
if [ -d samples/spring-boot-service ]; then
  modules=benchmarks,samples/spring-boot-service
fi
mvn -B -q -pl "$modules" -am package -DskipTests
exec java -jar benchmarks/target/readiness-benchmarks.jar "$@"
