package dev.latch.common.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code latch.public-base-url} ({@code LATCH_PUBLIC_BASE_URL}): the URL a browser or client uses to reach
 * this service from outside (through the Ingress). Every absolute URL a service hands out — redirect URIs,
 * start links, signed file links, allowed origins — is built here, so a trailing slash or a missing scheme
 * is handled once. A value that is not an absolute {@code http(s)} URL without query or fragment stops the
 * start.
 */
@ApplicationScoped
public class PublicBaseUrl {

    private final URI uri;
    private final String base;

    public PublicBaseUrl(@ConfigProperty(name = "latch.public-base-url") String value) {
        this.uri = parse(value);
        String text = uri.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    static URI parse(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("latch.public-base-url is not a URL: " + value, e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("latch.public-base-url must be an absolute http(s) URL without query "
                    + "or fragment, e.g. https://auth.example.com: " + value);
        }
        return uri;
    }

    /** The configured URL as given. */
    public URI uri() {
        return uri;
    }

    /** The URL without a trailing slash, e.g. {@code https://auth.example.com}. */
    public String base() {
        return base;
    }

    /** An absolute URL for {@code path}, which starts with {@code /}. */
    public String resolve(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        return base + path;
    }

    @Override
    public String toString() {
        return base;
    }
}
