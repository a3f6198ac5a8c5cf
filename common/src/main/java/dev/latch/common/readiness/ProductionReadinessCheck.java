package dev.latch.common.readiness;

import java.util.List;

/**
 * One service's view of whether it is safe to run in production. Each service produces its checks as
 * beans; {@link ProductionReadinessChecks} runs them all at start.
 */
@FunctionalInterface
public interface ProductionReadinessCheck {

    /** What is wrong; empty when everything this check looks at is fine. */
    List<Finding> findings();

    enum Severity {
        /** Logged loudly; the service starts. */
        WARNING,
        /** Stops the start unless {@code latch.production-readiness.ignore-severe} is set. */
        SEVERE
    }

    /** {@code id} names the finding (for the override list); {@code message} says what to set, by variable name. */
    record Finding(String id, Severity severity, String message) {

        public static Finding severe(String id, String message) {
            return new Finding(id, Severity.SEVERE, message);
        }

        public static Finding warning(String id, String message) {
            return new Finding(id, Severity.WARNING, message);
        }
    }
}
