package dev.latch.idp.flow;

import dev.latch.common.security.RedirectValidator;
import dev.latch.idp.config.IdpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a login may land ({@code redirect_to}): a local path under the contract's open-redirect rules, or — only
 * for the origins listed in {@code latch.idp.redirect-origins} — that origin followed by such a path.
 */
@ApplicationScoped
public class RedirectTargets {

    private final List<String> origins;

    @Inject
    public RedirectTargets(IdpConfig config) {
        this(config.redirectOrigins().orElse(List.of()));
    }

    RedirectTargets(List<String> origins) {
        this.origins = origins.stream()
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .map(RedirectTargets::normalise)
                .toList();
    }

    /** Why {@code redirectTo} is refused, or empty when a login may land there. */
    public Optional<String> reason(String redirectTo) {
        Optional<String> origin = originOf(redirectTo);
        if (origin.isEmpty()) {
            return RedirectValidator.reason(redirectTo);
        }
        if (!origins.contains(origin.get().toLowerCase(Locale.ROOT))) {
            return Optional.of("redirect_to must be a path starting with '/'");
        }
        return RedirectValidator.reason(redirectTo.substring(origin.get().length()));
    }

    /** The {@code scheme://authority} of an absolute http(s) value; empty for anything else. */
    private static Optional<String> originOf(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String lower = value.toLowerCase(Locale.ROOT);
        int start;
        if (lower.startsWith("https://")) {
            start = "https://".length();
        } else if (lower.startsWith("http://")) {
            start = "http://".length();
        } else {
            return Optional.empty();
        }
        int end = start;
        while (end < value.length() && "/?#\\".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return Optional.of(value.substring(0, end));
    }

    private static String normalise(String origin) {
        String o = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        if (originOf(o).filter(o::equals).isEmpty() || o.indexOf('@') >= 0 || o.endsWith("/")) {
            throw new IllegalArgumentException(
                    "latch.idp.redirect-origins: not an origin (scheme://host[:port]): " + origin);
        }
        return o.toLowerCase(Locale.ROOT);
    }
}
