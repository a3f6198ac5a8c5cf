package dev.latch.auth.user;

import dev.latch.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Creates the first ADMIN from {@code latch.auth.bootstrap-admin.username} / {@code .password} at start,
 * when no ADMIN exists — the way into a production install where sign-up is off. It never promotes an
 * existing account: a USER who registered the configured name first stays a USER, and the start says so.
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    private final AuthConfig.BootstrapAdmin config;
    private final UserService users;

    public BootstrapAdmin(AuthConfig config, UserService users) {
        this.config = config.bootstrapAdmin();
        this.users = users;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.username().isEmpty() && config.password().isEmpty()) {
            return;
        }
        String username = config.username()
                .orElseThrow(() -> new IllegalStateException(
                        "LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD is set but LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME is not."));
        String password = config.password()
                .orElseThrow(() -> new IllegalStateException(
                        "LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME is set but LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD is not."));
        switch (users.bootstrapAdmin(username, password)) {
            case CREATED -> LOG.infof("bootstrap ADMIN %s created", UserService.normalizeUsername(username));
            case ADMIN_EXISTS -> LOG.debugf("an ADMIN exists: bootstrap ADMIN %s not needed", username);
            case NAME_TAKEN ->
                LOG.errorf(
                        "bootstrap ADMIN not created: the username %s belongs to a USER account, which "
                                + "is never promoted this way. Choose another LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME.",
                        UserService.normalizeUsername(username));
        }
    }
}
