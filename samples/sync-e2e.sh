#!/bin/sh
# Maintainers: the Spring Boot sample's end-to-end test is the servlet sample's, renamed. Run after editing
# samples/servlet-service/src/test/java/dev/readiness/samples/servlet/{ServletServiceIT,SampleProcess,DatabaseReadinessIT}.java.
set -eu
cd "$(dirname "$0")"
from=servlet-service/src/test/java/dev/readiness/samples/servlet
to=spring-boot-service/src/test/java/dev/readiness/samples/boot
sed 's/package dev.readiness.samples.servlet;/package dev.readiness.samples.boot;/' "$from/SampleProcess.java" > "$to/SampleProcess.java"
sed -e 's/package dev.readiness.samples.servlet;/package dev.readiness.samples.boot;/' \
    -e 's/class ServletServiceIT/class SpringBootServiceIT/' \
    -e 's/hello from servlet-service/hello from spring-boot-service/' \
    -e 's/The servlet sample/The Spring Boot sample/' \
    -e 's/Duration START = Duration.ofSeconds(60)/Duration START = Duration.ofSeconds(90)/' \
    -e 's/static final List<String> DRAIN_LOG = List.of(.*);/static final List<String> DRAIN_LOG = List.of("readiness DOWN; serving for", "Commencing graceful shutdown", "Graceful shutdown complete");/' \
    -e 's/static final int EXIT_AFTER_SIGTERM = 0;/static final int EXIT_AFTER_SIGTERM = 143;/' \
    -e 's|The drain halts the JVM with readiness.drain.exit-code (0), so Kubernetes does not show an error.|Spring Boot exits as the JVM does after SIGTERM.|' \
    "$from/ServletServiceIT.java" > "$to/SpringBootServiceIT.java"
sed -e 's/package dev.readiness.samples.servlet;/package dev.readiness.samples.boot;/' \
    -e 's/dev.readiness.samples.servlet.ServletServiceIT.awaitServing/dev.readiness.samples.boot.SpringBootServiceIT.awaitServing/' \
    -e 's/The servlet sample/The Spring Boot sample/' \
    "$from/DatabaseReadinessIT.java" > "$to/DatabaseReadinessIT.java"
