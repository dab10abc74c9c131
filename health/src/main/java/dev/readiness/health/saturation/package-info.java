/** Saturation of a server (busy plus queued work over capacity) and its gauge {@code readiness.saturation}. */
package dev.readiness.health.saturation;
