/** Benchmarks of readiness against its anchors. */
package dev.readiness.bench;
