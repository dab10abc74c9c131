/**
 * Server adapters for the listen-queue probe of readiness-core: the backlog that Jetty ({@code acceptQueueSize})
 * and Tomcat ({@code acceptCount}) request, as an {@link java.util.function.IntSupplier} for
 * {@code ListenQueueProbe.Builder#requestedBacklog}. Each needs its server on the class path (optional
 * dependencies).
 */
package dev.readiness.health.listen;
