package dev.latch.auth.oauth2.authorize;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser for the OpenID Provider's pages, driven by rest-assured: it keeps its cookies, never follows redirects
 * by itself, and reads the hidden fields of the page it was shown. Tests use it to run the code flow end to end.
 */
final class OidcBrowser {

    static final String WEB = "latch-dev-web";
    static final String WEB_SECRET = "latch-dev-web-secret";
    static final String SPA = "latch-dev-spa";
    static final String REDIRECT = "http://localhost:8095/callback";

    final Map<String, String> cookies = new HashMap<>();

    RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    Response keep(Response r) {
        r.getDetailedCookies().forEach(c -> {
            if (c.getMaxAge() == 0) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        return r;
    }

    Response get(String pathAndQuery) {
        return keep(request().get(pathAndQuery));
    }

    Response authorize(Map<String, String> params) {
        return keep(request().queryParams(params).get("/oauth2/authorize"));
    }

    /** Logs in at the login page {@code loginLocation} (a path with its query); the answer to the form post. */
    Response logIn(String loginLocation, String username, String password) {
        Response page = get(loginLocation);
        if (page.statusCode() != 200) {
            throw new AssertionError("login page answered " + page.statusCode() + ": " + page.asString());
        }
        Map<String, String> form = hiddenFields(page.asString());
        form.put("username", username);
        form.put("password", password);
        return keep(request().formParams(form).post("/login"));
    }

    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
                .matcher(html);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }
        return fields;
    }

    /** The query parameters of a redirect's Location. */
    static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(location).getRawQuery();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The usual request of {@code clientId}: code flow, PKCE S256 with {@code verifier}, the given scope. */
    static Map<String, String> codeRequest(String clientId, String scope, String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", scope);
        p.put("state", "st-" + Long.toHexString(System.nanoTime()));
        p.put("nonce", "n-" + Long.toHexString(System.nanoTime()));
        p.put("code_challenge", challenge(verifier));
        p.put("code_challenge_method", "S256");
        return p;
    }
}
