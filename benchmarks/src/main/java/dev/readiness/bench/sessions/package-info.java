/**
 * Sessions benchmark: the same Spring Boot service with the servlet container's in-memory sessions, with
 * readiness sessions in Redis, and with Spring Session Data Redis, measured in one run against one Redis.
 * Run {@link dev.readiness.bench.sessions.SessionsBenchmark}.
 */
package dev.readiness.bench.sessions;
