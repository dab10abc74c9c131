/**
 * Servlet integration: {@link dev.readiness.sessions.servlet.SessionFilter}, after which
 * {@code request.getSession()} returns the Redis-backed session (or, in mirror mode, the container's session
 * mirrored to Redis).
 */
package dev.readiness.sessions.servlet;
