#!/usr/bin/env bash
# Runs every test of the build, as CI does: installs the Debian packages the tests need when they are missing
# (kubernetes-client, for `kubectl kustomize`, which renders src/k8s for the manifest tests; haproxy, the load
# balancer the agent-check tests drive; podman, runc and debootstrap, with which the container tests make a JRE
# base image and run the samples' images), then
# `mvn -B -ntp install` with any arguments given here (./test.sh -pl samples/servlet-service -am): install,
# because the new-apps module builds brand-new applications against the installed artifacts. With no arguments,
# a named subset then runs again on Java 25 (below).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    apt-get install -y "${missing[@]}"
  else
    echo "test.sh: the tests need the Debian package(s) ${missing[*]} (kubectl renders the Kubernetes" \
      "manifests, haproxy runs the agent-check tests; podman, runc and debootstrap build and run the images);" \
      "install them as root (apt-get install -y ${missing[*]}) or run ./test.sh as root" >&2
    exit 1
  fi
fi

mvn -B -ntp install "$@"

# The same build's named subset on Java 25 (the release stays 17): surefire and failsafe fork their test JVMs on
# Java 25, and the processes the tests start (the samples, the drain's forked services) inherit it. The subset
# covers the drain on Jetty and Tomcat (virtual threads included, which Java 17 cannot run), the management
# server, the sessions' ITs and both samples' end-to-end tests. Off with READINESS_JAVA25=off; only with no
# arguments (a partial run is not the whole suite).
java25="${READINESS_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ $# -gt 0 ] || [ "$java25" = off ]; then
  echo "test.sh: the Java 25 subset is not run (arguments given or READINESS_JAVA25=off)"
  exit 0
fi
if [ ! -x "$java25/bin/java" ]; then
  echo "test.sh: no Java 25 at $java25 for the Java 25 subset; install one there, or point READINESS_JAVA25 at" \
    "a JDK 25 home, or set READINESS_JAVA25=off" >&2
  exit 1
fi
"$java25/bin/java" -version
exec mvn -B -ntp -o verify -Djvm="$java25/bin/java" \
  -pl health,sessions,samples/sample-e2e,samples/servlet-service,samples/spring-boot-service \
  -Dtest='VirtualThreadsDrainTest,TomcatDrainTest,JettyDrain*Test,TomcatListenerCheckTest,JettyListenerCheckTest,JdkManagementServerTest,ManagementServerAbuseTest' \
  -Dit.test='RollingRestartIT,RedisSessionStoreIT,SessionFilterIT,MirrorWithoutAffinityIT,RedisReconnectIT,HostilePayloadsIT,ServletServiceIT,SpringBootServiceIT' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
