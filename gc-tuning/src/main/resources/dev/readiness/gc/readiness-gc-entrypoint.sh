#!/bin/sh
# readiness gc-tuning entrypoint: sizes the JVM from the container's limits, then execs the java command.
#
#   ENTRYPOINT ["/app/readiness-gc-entrypoint.sh"]
#   CMD ["java", "-jar", "/app/app.jar"]
#
# The computed options go before the command's own, so options set on the command line win; options in
# JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS are found by the CLI and not emitted. The java command is exec'ed, so it
# is PID 1's successor and receives SIGTERM directly.
#
#   READINESS_GC_JAR      the gc-tuning jar (default: readiness-gc-tuning.jar beside this script)
#   READINESS_GC_ENABLED  false: exec the command unchanged
#   READINESS_GC_QUIET    true: do not print the chosen options to stderr
#   MALLOC_ARENA_MAX      default 2: glibc's per-thread malloc arenas otherwise grow native memory with cores
#   READINESS_GC_*        the budget's settings, see `java -jar readiness-gc-tuning.jar help`
set -eu

if [ "$#" -eq 0 ]; then
  echo "readiness-gc: usage: $0 java [options] (-jar app.jar | -cp path main-class) [args]" >&2
  exit 2
fi

MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX

java_cmd=$1
shift

if [ "${READINESS_GC_ENABLED:-true}" = "false" ]; then
  exec "$java_cmd" "$@"
fi

jar=${READINESS_GC_JAR:-$(dirname "$0")/readiness-gc-tuning.jar}

# The CLI's own JVM runs small and short (C1 only, SerialGC, class data sharing) and without the user's
# options: an agent or a large heap in JAVA_TOOL_OPTIONS must not slow it down. They are handed over by name.
flags=$(
  READINESS_GC_USER_JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS-}
  READINESS_GC_USER_JDK_JAVA_OPTIONS=${JDK_JAVA_OPTIONS-}
  export READINESS_GC_USER_JAVA_TOOL_OPTIONS READINESS_GC_USER_JDK_JAVA_OPTIONS
  unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS
  exec "$java_cmd" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData -Xmx64m \
    -cp "$jar" dev.readiness.gc.cli.Main flags -- "$@"
) || exit $?

if [ "${READINESS_GC_QUIET:-false}" != "true" ]; then
  echo "readiness-gc:" $flags >&2
fi

# One option a line, none contains white space: split on new lines only, no globbing.
old_ifs=$IFS
IFS='
'
set -f
# shellcheck disable=SC2086
set -- $flags "$@"
set +f
IFS=$old_ifs

exec "$java_cmd" "$@"
