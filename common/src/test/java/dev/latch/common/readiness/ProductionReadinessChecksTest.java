package dev.latch.common.readiness;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.readiness.ProductionReadinessCheck.Finding;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProductionReadinessChecksTest {

    private static ProductionReadinessChecks checks(Set<String> ignored) {
        return new ProductionReadinessChecks(
                new ProductionReadinessChecks.Config() {
                    public boolean enabled() {
                        return true;
                    }

                    public java.util.Optional<Set<String>> ignoreSevere() {
                        return java.util.Optional.of(ignored);
                    }
                },
                null);
    }

    @Test
    void aSevereFindingStopsTheStartNamingWhatToSet() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> checks(Set.of())
                        .enforce(List.of(
                                Finding.warning("w", "just a warning"),
                                Finding.severe("secret", "Set LATCH_EXAMPLE_SECRET."))));
        assertTrue(refused.getMessage().contains("LATCH_EXAMPLE_SECRET"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("just a warning"), refused.getMessage());
    }

    @Test
    void warningsAndOverriddenFindingsLetTheServiceStart() {
        assertDoesNotThrow(() -> checks(Set.of("secret"))
                .enforce(List.of(
                        Finding.warning("w", "just a warning"),
                        Finding.severe("secret", "Set LATCH_EXAMPLE_SECRET."))));
    }
}
