package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.probe.Probe;

/** A check bean or {@link CheckRegistration} that the health registry refused; fails the start. */
final class InvalidCheckException extends IllegalStateException {

    private final String checkName;
    private final Probe probe;

    InvalidCheckException(String checkName, Probe probe, IllegalArgumentException cause) {
        super("cannot register check '" + checkName + "' for " + probe.tag() + ": " + cause.getMessage(), cause);
        this.checkName = checkName;
        this.probe = probe;
    }

    String checkName() {
        return checkName;
    }

    Probe probe() {
        return probe;
    }

    String reason() {
        return getCause().getMessage();
    }
}
