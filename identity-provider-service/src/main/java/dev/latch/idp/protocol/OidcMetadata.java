package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.idp.provider.ProviderUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Discovery documents and JWKS of OIDC providers, cached: discovery for an hour, keys for ten minutes
 * and refetched (at most every 30 s) when an ID token names a key not in the cached set. The endpoints
 * a discovery document names obey the same address rules as URLs an admin enters (they are the
 * provider's say, not the admin's): https, and no internal host.
 */
@ApplicationScoped
public class OidcMetadata {

    private static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    private static final Duration JWKS_TTL = Duration.ofMinutes(10);
    private static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    public record Discovery(
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String userinfoEndpoint,
            String jwksUri,
            List<String> tokenAuthMethods,
            boolean issParameterSupported) {}

    private record Cached<T>(T value, Instant fetchedAt) {}

    private final ProviderHttp http;
    private final ProviderUrlPolicy urls;
    private final Map<String, Cached<Discovery>> discoveries = new ConcurrentHashMap<>();
    private final Map<String, Cached<JsonWebKeySet>> jwks = new ConcurrentHashMap<>();

    public OidcMetadata(ProviderHttp http, ProviderUrlPolicy urls) {
        this.http = http;
        this.urls = urls;
    }

    public Discovery discovery(String issuer) throws ProviderHttp.ProviderCallException {
        Cached<Discovery> cached = discoveries.get(issuer);
        if (cached != null && cached.fetchedAt().plus(DISCOVERY_TTL).isAfter(Instant.now())) {
            return cached.value();
        }
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode doc = http.getJson(base + "/.well-known/openid-configuration", null);
        List<String> methods = doc.path("token_endpoint_auth_methods_supported").isArray()
                ? java.util.stream.StreamSupport.stream(
                                doc.path("token_endpoint_auth_methods_supported")
                                        .spliterator(),
                                false)
                        .map(JsonNode::asText)
                        .toList()
                : List.of("client_secret_basic");
        Discovery d = new Discovery(
                doc.path("issuer").asText(null),
                doc.path("authorization_endpoint").asText(null),
                doc.path("token_endpoint").asText(null),
                doc.path("userinfo_endpoint").asText(null),
                doc.path("jwks_uri").asText(null),
                methods,
                doc.path("authorization_response_iss_parameter_supported").asBoolean(false));
        if (d.issuer() == null
                || !sameIssuer(d.issuer(), issuer)
                        && !issuer.contains("/common/")
                        && !issuer.contains("/organizations/")
                        && !issuer.contains("/consumers/")) {
            throw new ProviderHttp.ProviderCallException("discovery issuer does not match", 200);
        }
        checkDiscovered("authorization_endpoint", d.authorizationEndpoint());
        checkDiscovered("token_endpoint", d.tokenEndpoint());
        checkDiscovered("userinfo_endpoint", d.userinfoEndpoint());
        checkDiscovered("jwks_uri", d.jwksUri());
        discoveries.put(issuer, new Cached<>(d, Instant.now()));
        return d;
    }

    private void checkDiscovered(String member, String url) throws ProviderHttp.ProviderCallException {
        if (url == null) {
            return;
        }
        // the authorization endpoint is only where the browser goes: its scheme matters, not its address
        var refusal = member.equals("authorization_endpoint") ? urls.schemeRefusal(url) : urls.refusalOfDiscovered(url);
        if (refusal.isPresent()) {
            throw new ProviderHttp.ProviderCallException("discovery " + member + " refused: it " + refusal.get(), 200);
        }
    }

    /** Resolves ID-token keys from the provider's JWKS, refetching once on an unknown kid. */
    public VerificationKeyResolver keys(String jwksUri) {
        return (JsonWebSignature jws, List<JsonWebStructure> nesting) -> {
            try {
                Key key = select(jws, set(jwksUri, false));
                if (key == null && refreshAllowed(jwksUri)) {
                    key = select(jws, set(jwksUri, true));
                }
                if (key == null) {
                    throw new UnresolvableKeyException("no key in the provider's JWKS matches the ID token");
                }
                return key;
            } catch (ProviderHttp.ProviderCallException | JoseException e) {
                throw new UnresolvableKeyException("provider JWKS unavailable: " + e.getMessage());
            }
        };
    }

    private static Key select(JsonWebSignature jws, JsonWebKeySet set) throws JoseException {
        JsonWebKey key = new VerificationJwkSelector().select(jws, set.getJsonWebKeys());
        return key == null ? null : key.getKey();
    }

    private boolean refreshAllowed(String uri) {
        Cached<JsonWebKeySet> cached = jwks.get(uri);
        return cached == null || cached.fetchedAt().plus(JWKS_MIN_REFRESH).isBefore(Instant.now());
    }

    private JsonWebKeySet set(String uri, boolean force) throws ProviderHttp.ProviderCallException, JoseException {
        Cached<JsonWebKeySet> cached = jwks.get(uri);
        if (!force && cached != null && cached.fetchedAt().plus(JWKS_TTL).isAfter(Instant.now())) {
            return cached.value();
        }
        JsonWebKeySet set = new JsonWebKeySet(http.getJson(uri, null).toString());
        jwks.put(uri, new Cached<>(set, Instant.now()));
        return set;
    }

    public static boolean sameIssuer(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
