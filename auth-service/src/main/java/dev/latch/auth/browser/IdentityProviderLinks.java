package dev.latch.auth.browser;

import dev.latch.auth.page.Pages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The login page's buttons for the broker's identity providers. */
@ApplicationScoped
public class IdentityProviderLinks {

    /** One link per enabled provider, each coming back to finish {@code requestId} (or to {@code returnTo}). */
    public List<Pages.ProviderLink> links(String requestId, String returnTo) {
        return List.of();
    }
}
