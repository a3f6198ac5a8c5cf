package dev.latch.auth.browser;

import dev.latch.auth.page.Pages;
import dev.latch.auth.session.CrossSiteGuard;
import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The check every form of the pages (login, consent, device, logout) passes before anything is read: posted by a page
 * of this origin ({@link CrossSiteGuard#checkForm}) and carrying the browser's CSRF token ({@link Csrf}). A refusal is
 * a 403 page that says what to do again.
 */
@ApplicationScoped
public class PageForms {

    private final CrossSiteGuard crossSite;
    private final Pages pages;

    public PageForms(CrossSiteGuard crossSite, Pages pages) {
        this.crossSite = crossSite;
        this.pages = pages;
    }

    /** The 403 page for a refused form post; empty when the post may go on. {@code again} tells the user what to do. */
    public Optional<Response> refused(String origin, String fetchSite, String csrfCookie, String csrf, String again) {
        try {
            crossSite.checkForm(origin, fetchSite);
        } catch (ProblemException e) {
            return Optional.of(pages.message(403, "Request refused", e.detail(), true));
        }
        if (!Csrf.matches(csrfCookie, csrf)) {
            return Optional.of(pages.message(403, "This page has expired", again, true));
        }
        return Optional.empty();
    }
}
