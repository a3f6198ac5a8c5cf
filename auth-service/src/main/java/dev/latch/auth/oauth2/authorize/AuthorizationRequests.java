package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationErrors.Target;
import dev.latch.auth.oauth2.authorize.AuthorizationErrors.Untrusted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636, RFC 9126) in the order the specs
 * require: first the client and its exact redirect URI — until both are known nothing may be redirected — then
 * everything else, whose refusals go back to that redirect URI.
 */
@ApplicationScoped
public class AuthorizationRequests {

    static final String CODE_GRANT = "authorization_code";

    /** RFC 7636 §4.2: 43 to 128 unreserved characters (an S256 challenge is 43). */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    private final ClientRegistry clients;
    private final PendingRequests pending;

    public AuthorizationRequests(ClientRegistry clients, PendingRequests pending) {
        this.clients = clients;
        this.pending = pending;
    }

    /** An authorization request of the authorization endpoint (query or form parameters). */
    public AuthorizationRequest read(MultivaluedMap<String, String> raw) {
        Map<String, String> params = single(raw);
        ClientRegistry.Client client = client(params.get("client_id"));
        String requestUri = params.get("request_uri");
        boolean pushed = false;
        if (requestUri != null) {
            PendingRequests.Pushed p = pending.usePushed(requestUri)
                    .filter(found -> found.clientId().equals(client.id()))
                    .orElseThrow(() -> new Untrusted("The request_uri is unknown, expired or already used."));
            params = new HashMap<>(p.parameters());
            pushed = true;
        }
        return validate(client, params, pushed);
    }

    /** A pushed authorization request (RFC 9126) of an already authenticated (or public) client. */
    public AuthorizationRequest readPushed(ClientRegistry.Client client, Map<String, String> params) {
        if (params.containsKey("request_uri")) {
            throw new Untrusted("A pushed request may not carry request_uri.");
        }
        return validate(client, params, true);
    }

    /** A public client presenting only its id (RFC 6749 §2.3: it has no secret to present). */
    public Optional<ClientRegistry.Client> publicClient(String clientId) {
        return clients.find(clientId).filter(c -> !c.confidential());
    }

    /** The client of {@code clientId}, which must exist. */
    public ClientRegistry.Client client(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new Untrusted("The request names no client (client_id is missing).");
        }
        return clients.find(clientId).orElseThrow(() -> new Untrusted("The client is unknown."));
    }

    private AuthorizationRequest validate(ClientRegistry.Client client, Map<String, String> params, boolean pushed) {
        String redirectUri = params.get("redirect_uri");
        if (redirectUri == null || redirectUri.isEmpty()) {
            throw new Untrusted("The request has no redirect_uri.");
        }
        if (!client.redirectUris().contains(redirectUri)) {
            throw new Untrusted("The redirect_uri is not registered for this client.");
        }
        String responseMode = params.getOrDefault("response_mode", "query");
        String state = params.get("state");
        Target target = new Target(redirectUri, state, "form_post".equals(responseMode) ? "form_post" : "query");
        Optional<String> repeated = repeated(params);
        if (repeated.isPresent()) {
            throw target.error("invalid_request", "The parameter " + printable(repeated.get()) + " is repeated.");
        }
        if (!responseMode.equals("query") && !responseMode.equals("form_post")) {
            throw target.error("invalid_request", "response_mode must be query or form_post.");
        }
        if (client.requirePar() && !pushed) {
            throw target.error("invalid_request", "This client must push its authorization requests (PAR).");
        }
        if (params.containsKey("request")) {
            throw target.error("request_not_supported", "Request objects are not supported.");
        }
        String responseType = params.get("response_type");
        if (responseType == null || responseType.isEmpty()) {
            throw target.error("invalid_request", "response_type is required.");
        }
        if (!responseType.equals("code")) {
            throw target.error("unsupported_response_type", "Only response_type=code is supported.");
        }
        if (!client.allows(CODE_GRANT)) {
            throw target.error("unauthorized_client", "This client may not use the authorization code flow.");
        }
        String scope = params.get("scope");
        if (scope == null || scope.isBlank()) {
            throw target.error("invalid_scope", "scope is required.");
        }
        List<String> scopes =
                new ArrayList<>(new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +"))));
        if (!client.scopes().containsAll(scopes)) {
            List<String> refused = new ArrayList<>(scopes);
            refused.removeAll(client.scopes());
            throw target.error("invalid_scope", "This client may not request: " + printable(String.join(" ", refused)));
        }
        String challenge = params.get("code_challenge");
        String method = params.get("code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw target.error("invalid_request", "code_challenge_method without code_challenge.");
            }
            if (!client.confidential()) {
                throw target.error("invalid_request", "A public client must use PKCE (code_challenge with S256).");
            }
        } else {
            if (method == null || !method.equals("S256")) {
                throw target.error("invalid_request", "code_challenge_method must be S256 (plain is refused).");
            }
            if (!CHALLENGE.matcher(challenge).matches()) {
                throw target.error("invalid_request", "code_challenge is malformed.");
            }
        }
        List<String> prompt = List.of();
        String promptValue = params.get("prompt");
        if (promptValue != null && !promptValue.isBlank()) {
            prompt = List.copyOf(
                    new LinkedHashSet<>(Arrays.asList(promptValue.trim().split(" +"))));
            if (!PROMPTS.containsAll(prompt)) {
                throw target.error("invalid_request", "prompt may be none, login, consent or select_account.");
            }
            if (prompt.contains("none") && prompt.size() > 1) {
                throw target.error("invalid_request", "prompt=none cannot be combined with other values.");
            }
        }
        Long maxAge = null;
        String maxAgeValue = params.get("max_age");
        if (maxAgeValue != null) {
            try {
                maxAge = Long.parseLong(maxAgeValue);
            } catch (NumberFormatException e) {
                maxAge = -1L;
            }
            if (maxAge < 0) {
                throw target.error("invalid_request", "max_age must be a number of seconds.");
            }
        }
        String nonce = params.get("nonce");
        if (nonce != null && nonce.length() > 512) {
            throw target.error("invalid_request", "nonce is too long.");
        }
        if (state != null && state.length() > 2048) {
            throw new Untrusted("The state parameter is too long.");
        }
        String loginHint = params.get("login_hint");
        if (loginHint != null && loginHint.length() > 320) {
            loginHint = null;
        }
        return new AuthorizationRequest(
                client.id(),
                redirectUri,
                List.copyOf(scopes),
                state,
                nonce,
                challenge,
                prompt,
                maxAge,
                loginHint,
                target.responseMode(),
                null);
    }

    /**
     * One value per parameter (RFC 6749 §3.1: parameters MUST NOT repeat). A repeated client_id or redirect_uri makes
     * the whole request untrusted; any other repeated parameter is refused once the redirect URI is known.
     */
    static Map<String, String> single(MultivaluedMap<String, String> raw) {
        Map<String, String> values = new HashMap<>();
        String repeated = null;
        if (raw != null) {
            for (Map.Entry<String, List<String>> p : raw.entrySet()) {
                if (p.getValue().size() > 1) {
                    if (p.getKey().equals("client_id") || p.getKey().equals("redirect_uri")) {
                        throw new Untrusted("The parameter " + p.getKey() + " is repeated.");
                    }
                    repeated = p.getKey();
                }
                if (!p.getValue().isEmpty() && !p.getValue().get(0).isEmpty()) {
                    values.put(p.getKey(), p.getValue().get(0));
                }
            }
        }
        if (repeated != null) {
            values.put(REPEATED, repeated);
        }
        return values;
    }

    /** Set by {@link #single} when a parameter other than client_id and redirect_uri came more than once. */
    static final String REPEATED = "\u0000repeated";

    private static String printable(String value) {
        String cut = value.length() > 200 ? value.substring(0, 200) : value;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }

    static Optional<String> repeated(Map<String, String> params) {
        return Optional.ofNullable(params.get(REPEATED));
    }
}
