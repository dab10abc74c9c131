/**
 * The listen-queue probe: {@code net.core.somaxconn}, accept-queue overflows and drops, and the accept-queue
 * depth of the service's own listeners, read from {@code /proc} of the pod's network namespace.
 * {@link dev.readiness.core.listen.ListenQueueProbe} samples, {@link dev.readiness.core.listen.ListenQueueMetrics}
 * exposes Micrometer meters, {@link dev.readiness.core.listen.ListenQueueCheck} optionally turns readiness DOWN
 * while the queue overflows, and {@link dev.readiness.core.listen.ListenQueueConfig} maps
 * {@code readiness.listen.*}.
 */
package dev.readiness.core.listen;
