package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.page.Pages;
import java.util.Collection;
import java.util.List;

/** What each scope lets a client do, in words, for the consent page. */
public final class ScopeWords {

    private ScopeWords() {}

    public static List<Pages.ScopeLine> of(Collection<String> scopes) {
        return scopes.stream().map(ScopeWords::line).toList();
    }

    private static Pages.ScopeLine line(String scope) {
        return switch (scope) {
            case "openid" -> new Pages.ScopeLine("Know who you are", "Your Latch account identifier");
            case "profile" -> new Pages.ScopeLine("See your profile", "Your username, display name and picture");
            case "email" -> new Pages.ScopeLine("See your email address", "And whether it has been verified");
            case "offline_access" ->
                new Pages.ScopeLine("Stay connected", "Keep access while you are not using it, until you revoke it");
            default -> new Pages.ScopeLine("Use " + scope, "Access granted by the scope " + scope);
        };
    }
}
