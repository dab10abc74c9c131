/**
 * Externalised HTTP sessions: a servlet-independent {@link dev.readiness.sessions.SessionStore} API, its Redis
 * implementation ({@code redis}), attribute codecs ({@code codec}), the servlet filter ({@code servlet}) and
 * Micrometer meters ({@code micrometer}). Settings: {@link dev.readiness.sessions.SessionsConfig}.
 */
package dev.readiness.sessions;
