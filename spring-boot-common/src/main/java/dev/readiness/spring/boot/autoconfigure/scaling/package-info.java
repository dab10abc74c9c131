/** Saturation gauge, HAProxy agent and warm-up for Spring Boot. */
package dev.readiness.spring.boot.autoconfigure.scaling;
