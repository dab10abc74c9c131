/** Probe latency under a hung dependency: readiness against Spring Boot Actuator. */
package dev.readiness.bench.probes;
