/** The warm-up gate: tasks that run after start-up and before readiness turns UP, bounded by one timeout. */
package dev.readiness.core.warmup;
