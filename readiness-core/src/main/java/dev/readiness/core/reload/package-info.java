/**
 * ConfigMap reload: watches a directory that the kubelet updates with its atomic symlink swap, reads one
 * {@code ..data} generation as an immutable {@link dev.readiness.core.reload.ConfigSnapshot}, validates it and
 * swaps it in whole, or keeps the last good one and says why. Entry point: {@link
 * dev.readiness.core.reload.ConfigMapWatcher}. Micrometer and SnakeYAML are optional: {@link
 * dev.readiness.core.reload.ConfigReloadMetrics} is the only class that touches Micrometer.
 */
package dev.readiness.core.reload;
