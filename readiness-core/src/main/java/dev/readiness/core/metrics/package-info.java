/**
 * Micrometer binders. Micrometer is an optional dependency: nothing outside this package refers to it, so the
 * rest of core loads without it.
 */
package dev.readiness.core.metrics;
