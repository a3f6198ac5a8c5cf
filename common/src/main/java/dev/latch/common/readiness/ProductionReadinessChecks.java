package dev.latch.common.readiness;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs every {@link ProductionReadinessCheck} bean first thing at start (in the style of Apache
 * Polaris' production-readiness checks): warnings are logged, and a SEVERE finding stops the service
 * with a message naming what to set — unless that finding's id is listed in
 * {@code latch.production-readiness.ignore-severe}. Off in {@code %dev} and {@code %test}, whose
 * built-in development secrets are exactly what these checks refuse.
 */
@ApplicationScoped
public class ProductionReadinessChecks {

    private static final Logger LOG = Logger.getLogger(ProductionReadinessChecks.class);

    @ConfigMapping(prefix = "latch.production-readiness")
    public interface Config {
        @WithDefault("true")
        boolean enabled();

        /** Ids of SEVERE findings to accept anyway (each still logged as an error). */
        Optional<Set<String>> ignoreSevere();
    }

    private final Config config;
    private final Instance<ProductionReadinessCheck> checks;

    public ProductionReadinessChecks(Config config, Instance<ProductionReadinessCheck> checks) {
        this.config = config;
        this.checks = checks;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (config.enabled()) {
            enforce(run());
        }
    }

    List<ProductionReadinessCheck.Finding> run() {
        List<ProductionReadinessCheck.Finding> findings = new ArrayList<>();
        for (ProductionReadinessCheck check : checks) {
            findings.addAll(check.findings());
        }
        return findings;
    }

    /** @throws IllegalStateException naming every SEVERE finding that is not overridden */
    void enforce(List<ProductionReadinessCheck.Finding> findings) {
        List<ProductionReadinessCheck.Finding> blocking = new ArrayList<>();
        for (ProductionReadinessCheck.Finding f : findings) {
            if (f.severity() == ProductionReadinessCheck.Severity.WARNING) {
                LOG.warnf("production readiness [%s]: %s", f.id(), f.message());
            } else if (config.ignoreSevere().orElse(Set.of()).contains(f.id())) {
                LOG.errorf(
                        "production readiness [%s] (overridden by latch.production-readiness.ignore-severe): %s",
                        f.id(), f.message());
            } else {
                LOG.errorf("production readiness [%s]: %s", f.id(), f.message());
                blocking.add(f);
            }
        }
        if (!blocking.isEmpty()) {
            throw new IllegalStateException("Not ready for production: "
                    + blocking.stream()
                            .map(f -> f.message() + " [" + f.id() + "]")
                            .collect(Collectors.joining(" ")));
        }
    }
}
