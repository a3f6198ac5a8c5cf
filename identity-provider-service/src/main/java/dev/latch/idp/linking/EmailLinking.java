package dev.latch.idp.linking;

import dev.latch.idp.protocol.Profile;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderKind;
import java.util.Locale;

/**
 * Whether a login's email may be used by auth-service as a linking key ({@code emailVerified} of a
 * federated session): the provider asserted it verified, the provider is trusted for emails, and the
 * address is in one of its allowed domains when it has any. An email that fails this still reaches
 * auth-service, which then neither links by it nor stores it as verified.
 */
public final class EmailLinking {

    private EmailLinking() {}

    public static boolean linkable(IdentityProvider provider, Profile profile) {
        if (!profile.emailVerified()
                || profile.email() == null
                || !provider.trustEmail
                || provider.providerKind() == ProviderKind.MICROSOFT) {
            return false;
        }
        if (provider.allowedEmailDomains == null || provider.allowedEmailDomains.isEmpty()) {
            return true;
        }
        String email = profile.email();
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        return provider.allowedEmailDomains.stream().anyMatch(allowed -> allowed.equalsIgnoreCase(domain));
    }
}
