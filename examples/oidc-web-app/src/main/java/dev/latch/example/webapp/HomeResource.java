package dev.latch.example.webapp;

import io.quarkus.oidc.IdToken;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The one page: who is signed in, from the ID token quarkus-oidc got from Latch (every path needs a login). */
@Path("/")
public class HomeResource {

    // a field: quarkus-oidc's @IdToken qualifier does not apply to constructor parameters
    @Inject
    @IdToken
    JsonWebToken idToken;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String home() {
        String username = escape(idToken.getClaim("preferred_username"));
        return "<!doctype html><html><head><title>oidc-web-app</title></head><body>"
                + "<p>Signed in as <strong id=\"username\">" + username + "</strong></p>"
                + "<p><a href=\"/logout\">Sign out</a></p></body></html>";
    }

    private static String escape(Object value) {
        return String.valueOf(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
