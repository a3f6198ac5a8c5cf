package dev.latch.idp.landing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The landing page's files are served (no 404 for what it links, favicon included), with a strict policy. */
@QuarkusTest
class LandingPageTest {

    @Test
    void pageAndEverythingItLinksAreServed() {
        String html = given().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Content-Type-Options", "nosniff")
                .extract()
                .asString();
        // no inline script or style: the policy allows none
        org.junit.jupiter.api.Assertions.assertFalse(html.matches("(?s).*<script>.*"), "inline script");
        org.junit.jupiter.api.Assertions.assertFalse(html.contains("<style"), "inline style");
        for (String linked :
                new String[] {"/landing/app.js", "/landing/app.css", "/landing/latch.svg", "/favicon.ico"}) {
            org.junit.jupiter.api.Assertions.assertTrue(html.contains("\"" + linked + "\""), linked);
        }
        given().get("/favicon.ico").then().statusCode(200).contentType(startsWith("image/"));
        given().get("/landing/latch.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"));
        given().get("/landing/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/landing/app.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void theScriptLearnsWhereAuthServiceIs() {
        // default: the page's own origin (behind the one Ingress of production)
        given().get("/landing/config.json")
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .header("Cache-Control", "no-store")
                .body("authServiceUrl", equalTo(""));
        given().get("/").then().header("Content-Security-Policy", containsString("connect-src 'self';"));
    }
}
