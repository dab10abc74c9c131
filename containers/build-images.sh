#!/usr/bin/env bash
# Builds the samples' images with podman, from Debian packages alone (no image registry is needed):
#
#   1. a base image with Debian's JRE: debootstrap (minbase) with openjdk-17-jre-headless into a directory, then
#      `podman import`; and a shell-less copy of it (bash, dash, sh removed), shaped like a distroless java image.
#      Both are kept as tar files in the cache directory, keyed by a hash of everything that goes into them, so
#      a CI job makes them once and every later run (and every test) imports or reuses them;
#   2. every sample's image from its own Dockerfile, unchanged, with the jar built outside (mvn package):
#        podman build -f samples/<name>/Dockerfile --target prebuilt \
#            --build-arg JRE_IMAGE=<base> -t localhost/readiness/<name>:test samples/<name>/target
#      and the shell-less one with --target distroless-prebuilt --build-arg DISTROLESS_IMAGE=<shell-less base>,
#      tagged :test-distroless.
#
#   containers/build-images.sh [sample...]     (default: every samples/*/Dockerfile)
#
# Needs root, podman, runc and debootstrap (Debian packages; ./test.sh installs them). The samples' jars must
# have been built (mvn -B -pl samples/<name> -am package). Prints one line per image and how long it took.
#
#   READINESS_IMAGE_CACHE   where the base images' tar files are kept (default /var/tmp/readiness-images)
#   READINESS_DEBIAN_MIRROR the Debian mirror for debootstrap (default http://deb.debian.org/debian)
#   CONTAINERS_CONF         podman's configuration; default: containers/containers.conf beside this script
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

suite=bookworm
packages=openjdk-17-jre-headless
mirror=${READINESS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${READINESS_IMAGE_CACHE:-/var/tmp/readiness-images}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
# Left out of both images: apt's downloaded packages and lists, documentation and translations (about 130 MiB).
# The directories stay (and the manual pages), so that an image built on these can still apt-get install a Java
# package: their update-alternatives links man pages into /usr/share/man.
slim_excludes=(--exclude=./var/cache/apt/archives/*.deb --exclude=./var/lib/apt/lists/* --exclude=./usr/share/doc/*
  --exclude=./usr/share/locale/*)
# What makes the shell-less base: no shell to exec, as in a distroless image.
shell_excludes=(--exclude=./usr/bin/bash --exclude=./usr/bin/rbash --exclude=./usr/bin/dash --exclude=./usr/bin/sh
  --exclude=./usr/bin/bashbug --exclude=./bin/sh --exclude=./bin/bash --exclude=./bin/dash)

fail() { echo "build-images.sh: $*" >&2; exit 1; }

missing=()
for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || fail "missing ${missing[*]}: install the Debian packages as root" \
  "(apt-get install -y podman runc debootstrap), or run ./test.sh as root, which does"
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, and podman with runc on this machine's cgroups)"

key=$(printf '%s\n' "$suite" "$packages" "${slim_excludes[*]}" "${shell_excludes[*]}" "recipe 1" \
  | sha256sum | cut -c1-16)
jre_image=localhost/readiness-base/jre:$key
noshell_image=localhost/readiness-base/jre-noshell:$key
mkdir -p "$cache"

elapsed() { echo $(( $(date +%s) - $1 ))s; }

make_base() {
  local t0 rootfs
  t0=$(date +%s)
  if [ ! -s "$cache/jre-$key.tar" ] || [ ! -s "$cache/jre-noshell-$key.tar" ]; then
    rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$rootfs'" EXIT
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || fail "debootstrap failed, see $cache/debootstrap.log: $(tail -3 "$cache/debootstrap.log")"
    tar -C "$rootfs" "${slim_excludes[@]}" -cf "$cache/jre-$key.tar.part" .
    tar -C "$rootfs" "${slim_excludes[@]}" "${shell_excludes[@]}" -cf "$cache/jre-noshell-$key.tar.part" .
    mv "$cache/jre-$key.tar.part" "$cache/jre-$key.tar"
    mv "$cache/jre-noshell-$key.tar.part" "$cache/jre-noshell-$key.tar"
    rm -rf "$rootfs"
    trap - EXIT
    # Base images of earlier inputs are never used again.
    find "$cache" -maxdepth 1 -name 'jre-*.tar' ! -name "jre-$key.tar" ! -name "jre-noshell-$key.tar" -delete
    echo "build-images.sh: base images made with debootstrap ($suite, $packages) in $(elapsed "$t0"), cached in $cache"
  fi
  local image tarfile
  for image in "$jre_image" "$noshell_image"; do
    if ! podman image exists "$image"; then
      tarfile=$cache/$(basename "${image%%:*}")-$key.tar
      podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "$tarfile" "$image" >/dev/null
      echo "build-images.sh: imported $image from $tarfile"
    fi
  done
}

# One build at a time per cache (a test JVM and a benchmark may start this at once).
exec 9>"$cache/.lock"
flock 9
make_base
echo "build-images.sh: base images $jre_image and $noshell_image"

if [ $# -gt 0 ]; then
  dockerfiles=()
  for name in "$@"; do
    [ -f "$root/samples/$name/Dockerfile" ] || fail "no samples/$name/Dockerfile"
    dockerfiles+=("$root/samples/$name/Dockerfile")
  done
else
  dockerfiles=("$root"/samples/*/Dockerfile)
fi
for dockerfile in "${dockerfiles[@]}"; do
  dir=$(dirname "$dockerfile")
  name=$(basename "$dir")
  [ -s "$dir/target/$name.jar" ] && [ -d "$dir/target/entrypoint" ] \
    || fail "$dir/target/$name.jar or entrypoint/ missing: build it first (mvn -B -pl samples/$name -am package)"
  t0=$(date +%s)
  podman build --quiet --network none -f "$dockerfile" --target prebuilt --build-arg JRE_IMAGE="$jre_image" \
    -t "localhost/readiness/$name:test" "$dir/target" >/dev/null
  podman build --quiet --network none -f "$dockerfile" --target distroless-prebuilt \
    --build-arg DISTROLESS_IMAGE="$noshell_image" -t "localhost/readiness/$name:test-distroless" "$dir/target" >/dev/null
  echo "build-images.sh: localhost/readiness/$name:test and :test-distroless built in $(elapsed "$t0")"
done
