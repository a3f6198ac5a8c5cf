package dev.latch.auth.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.page.Pages;
import dev.latch.common.security.RedirectValidator;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The login page's buttons for the broker's identity providers: the broker's {@code GET /v1/identity-providers},
 * read with a short timeout and kept for {@code broker-cache-ttl}. A broker that is down or answers nonsense gives
 * no buttons (one warning per cache period), never a failing login page.
 *
 * <p>Each button starts the broker's login with {@code redirect_to} = {@code /v1/auth/federated/continue} of this
 * service (a local path when both share an origin, as behind the Ingress; else absolute, which the broker accepts
 * for the origins in its {@code latch.idp.redirect-origins}), carrying the authorization request and a binding to
 * this browser's CSRF cookie, so only the browser that was shown the page can finish the request with it.
 */
@ApplicationScoped
public class IdentityProviderLinks {

    static final String CONTINUE_PATH = "/v1/auth/federated/continue";

    private static final Logger LOG = Logger.getLogger(IdentityProviderLinks.class);
    /** The broker's provider ids (slugs). */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final int MAX_TITLE = 100;
    private static final int MAX_PROVIDERS = 50;
    private static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final String CACHE_KEY = "providers";

    record Provider(String id, String title) {}

    private final Optional<String> brokerUrl;
    private final Optional<URI> listUrl;
    private final String issuer;
    private final boolean sameOrigin;
    private final Duration timeout;
    private final Duration ttl;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final Cache<String, List<Provider>> cache;

    public IdentityProviderLinks(AuthConfig config, ObjectMapper mapper) {
        AuthConfig.Authorization authorization = config.authorization();
        this.brokerUrl = authorization
                .brokerUrl()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(IdentityProviderLinks::base);
        this.listUrl = authorization
                .brokerApiUrl()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(IdentityProviderLinks::base)
                .or(() -> brokerUrl)
                .map(u -> URI.create(u + "/v1/identity-providers"));
        this.issuer = base(config.token().issuer());
        this.sameOrigin = brokerUrl.map(b -> origin(b).equals(origin(issuer))).orElse(false);
        this.timeout = authorization.brokerTimeout();
        this.ttl = authorization.brokerCacheTtl();
        this.mapper = mapper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1).build();
    }

    /**
     * One link per enabled provider, each coming back to finish {@code requestId} (or to {@code returnTo}) in the
     * browser whose CSRF token is {@code csrf}.
     */
    public List<Pages.ProviderLink> links(String requestId, String returnTo, String csrf) {
        if (brokerUrl.isEmpty() || listUrl.isEmpty()) {
            return List.of();
        }
        List<Provider> providers = cache.get(CACHE_KEY, k -> read(listUrl.get()));
        if (providers.isEmpty()) {
            return List.of();
        }
        String redirectTo = URLEncoder.encode(continueTarget(requestId, returnTo, csrf), StandardCharsets.UTF_8);
        return providers.stream()
                .map(p -> new Pages.ProviderLink(
                        p.title(), brokerUrl.get() + "/v1/auth/oauth/" + p.id() + "/start?redirect_to=" + redirectTo))
                .toList();
    }

    /** Where the broker sends the browser back: the continue endpoint, relative when the broker shares our origin. */
    String continueTarget(String requestId, String returnTo, String csrf) {
        String path = continuePath(requestId, returnTo, csrf);
        return sameOrigin ? path : issuer + path;
    }

    /** {@code /v1/auth/federated/continue?…}, a value the broker's {@code redirect_to} rules accept. */
    static String continuePath(String requestId, String returnTo, String csrf) {
        if (requestId != null) {
            return CONTINUE_PATH + "?request=" + requestId + "&bind=" + binding(csrf, requestId, null);
        }
        if (returnTo != null) {
            String path =
                    CONTINUE_PATH + "?return_to=" + queryValue(returnTo) + "&bind=" + binding(csrf, null, returnTo);
            if (RedirectValidator.isSafe(path)) {
                return path;
            }
        }
        return CONTINUE_PATH + "?bind=" + binding(csrf, null, null);
    }

    /**
     * What ties a continue URL to the browser that was shown the login page: a hash of its CSRF cookie and of what
     * the login is for. Knowing it reveals nothing of the cookie; without the cookie it cannot be made.
     */
    static String binding(String csrf, String requestId, String returnTo) {
        String subject = requestId != null ? "request:" + requestId : returnTo != null ? "return_to:" + returnTo : "";
        byte[] hash = SecureTokens.sha256("latch.federated.continue|" + csrf + "|" + subject);
        return SecureTokens.base64Url(Arrays.copyOf(hash, 16));
    }

    /**
     * A query value percent-encoded only where it must be: the broker refuses an encoded {@code /} (something
     * downstream might decode it again), so {@code /}, {@code ?} and {@code :} stay as they are (RFC 3986 allows
     * them in a query).
     */
    private static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("%2F", "/")
                .replace("%3F", "?")
                .replace("%3A", ":");
    }

    private List<Provider> read(URI url) {
        try {
            HttpResponse<InputStream> answer = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = answer.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (answer.statusCode() != 200) {
                throw new IOException("status " + answer.statusCode());
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw new IOException("answer over " + MAX_ANSWER_BYTES + " bytes");
            }
            return providers(mapper.readTree(body));
        } catch (IOException | RuntimeException e) {
            return failed(url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(url, "interrupted");
        }
    }

    private List<Provider> failed(URI url, String why) {
        LOG.warnf(
                "The broker's provider list at %s could not be read (%s): the login page offers no identity provider"
                        + " for the next %s",
                url, why, ttl);
        return List.of();
    }

    /** The well-formed entries of {@code {"items": [{"id", "title", …}]}}; others are skipped. */
    private static List<Provider> providers(JsonNode root) throws IOException {
        JsonNode items = root == null ? null : root.get("items");
        if (items == null || !items.isArray()) {
            throw new IOException("no items list in the answer");
        }
        List<Provider> providers = new ArrayList<>();
        for (JsonNode item : items) {
            String id = item.path("id").asText("");
            String title = item.path("title").asText("").strip();
            if (!item.path("id").isTextual() || !ID.matcher(id).matches()) {
                continue;
            }
            if (title.isEmpty()) {
                title = id;
            }
            if (title.length() > MAX_TITLE) {
                title = title.substring(0, MAX_TITLE);
            }
            providers.add(new Provider(id, title));
            if (providers.size() == MAX_PROVIDERS) {
                break;
            }
        }
        return List.copyOf(providers);
    }

    private static String base(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** {@code scheme://host:port} of an absolute URL, lower case, default port spelled out. */
    private static String origin(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }
}
