#!/usr/bin/env bash
# Runs every test of the build, as CI does: installs the Debian packages the tests need when they are missing
# (kubernetes-client, for `kubectl kustomize`, which renders src/k8s for the manifest tests; podman, runc and
# debootstrap, with which the container tests make a JRE base image and run the samples' images), then
# `mvn -B -ntp install` with any arguments given here (./test.sh -pl samples/servlet-service -am): install,
# because the new-apps module builds brand-new applications against the installed artifacts.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    apt-get install -y "${missing[@]}"
  else
    echo "test.sh: the tests need the Debian package(s) ${missing[*]} (kubectl renders the Kubernetes" \
      "manifests; podman, runc and debootstrap build and run the images); install them as root" \
      "(apt-get install -y ${missing[*]}) or run ./test.sh as root" >&2
    exit 1
  fi
fi

exec mvn -B -ntp install "$@"
