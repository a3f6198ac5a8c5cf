package dev.latch.auth.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.security.RedirectValidator;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The continue URL the broker is given as {@code redirect_to}: one its rules accept, carrying what the page was for. */
class ContinuePathTest {

    private static final String CSRF = "abcdefghijklmnopqrstuvwxyz012345";

    @Test
    void aDeviceReturnSurvivesTheBrokersRedirectRules() {
        String path = IdentityProviderLinks.continuePath(null, "/device?user_code=WDJB-MJHT&lang=en", CSRF);
        assertTrue(RedirectValidator.isSafe(path), path);
        String query = URI.create(path).getRawQuery();
        String value = query.substring("return_to=".length(), query.indexOf("&bind="));
        assertEquals("/device?user_code=WDJB-MJHT&lang=en", URLDecoder.decode(value, StandardCharsets.UTF_8));
        // '/' and '?' stay as they are: the broker refuses an encoded '/'
        assertTrue(path.startsWith(IdentityProviderLinks.CONTINUE_PATH + "?return_to=/device?user_code"), path);
    }

    @Test
    void aReturnTheBrokerWouldRefuseIsLeftOut() {
        String path = IdentityProviderLinks.continuePath(null, "/device?user_code=%2F", CSRF);
        assertEquals(
                IdentityProviderLinks.CONTINUE_PATH + "?bind=" + IdentityProviderLinks.binding(CSRF, null, null), path);
        assertTrue(RedirectValidator.isSafe(path), path);
    }

    @Test
    void theBindingDependsOnTheBrowserAndOnWhatTheLoginIsFor() {
        String request = IdentityProviderLinks.binding(CSRF, "r".repeat(32), null);
        assertEquals(22, request.length());
        assertNotEquals(request, IdentityProviderLinks.binding(CSRF.replace('a', 'b'), "r".repeat(32), null));
        assertNotEquals(request, IdentityProviderLinks.binding(CSRF, "s".repeat(32), null));
        assertNotEquals(
                IdentityProviderLinks.binding(CSRF, null, "/device"), IdentityProviderLinks.binding(CSRF, null, null));
    }

    @Test
    void providerErrorsAreWordsNeverRawInput() {
        assertEquals(
                "The sign-in was cancelled at the identity provider.",
                FederatedContinueResource.inWords("access_denied"));
        assertEquals(
                "The sign-in through the identity provider failed (invalid_iss).",
                FederatedContinueResource.inWords("invalid_iss"));
        assertEquals(
                "The sign-in through the identity provider failed.",
                FederatedContinueResource.inWords("<script>alert(1)</script>"));
    }
}
