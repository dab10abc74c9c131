/** The HAProxy agent-check endpoint: {@code up} with a weight, {@code drain}, {@code down}, {@code maint}. */
package dev.readiness.health.agent;
