package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.config.ReadinessConfigException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a bad {@code readiness.*} value or a check that cannot be registered into a start-up report with a
 * description (what is wrong: key, value, check) and an action (what is allowed, what to change).
 */
public final class ReadinessFailureAnalyzer implements FailureAnalyzer {

    private static final String INVALID = " is invalid: ";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ReadinessConfigException e) {
                return analyze(e);
            }
            if (t instanceof InvalidCheckException e) {
                return analyze(e);
            }
        }
        return null;
    }

    private static FailureAnalysis analyze(ReadinessConfigException e) {
        if (e.key() == null) {
            return new FailureAnalysis("Invalid readiness configuration: " + e.getMessage(),
                    "Correct the readiness.* settings named above in the application's configuration.", e);
        }
        String message = e.getMessage();
        int at = message.indexOf(INVALID);
        String allowed = at < 0 ? message : message.substring(at + INVALID.length());
        String description = "Invalid readiness configuration: the value '" + e.value() + "' of property '"
                + e.key() + "' is invalid: " + allowed + ".";
        String action = "Update '" + e.key() + "' in the application's configuration (or its environment variable "
                + envName(e.key()) + ") to a value that " + allowed + ".";
        return new FailureAnalysis(description, action, e);
    }

    private static FailureAnalysis analyze(InvalidCheckException e) {
        String description = "The " + e.probe().tag() + " check '" + e.checkName()
                + "' cannot be registered: " + e.reason();
        String action = e.reason().contains("DependencyCheck")
                ? "Register '" + e.checkName() + "' for readiness: remove @LivenessCheck from the bean, or use"
                + " CheckRegistration.readiness(...). Only LocalCheck implementations that read in-process state"
                + " belong in liveness."
                : "Give the check a unique name matching [A-Za-z0-9][A-Za-z0-9._-]{0,63} (the bean name, or the"
                + " name of its CheckRegistration) and register it for one probe per registration.";
        return new FailureAnalysis(description, action, e);
    }

    private static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
