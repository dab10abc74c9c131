/** Micrometer meters for sessions (optional dependency). */
package dev.readiness.sessions.micrometer;
