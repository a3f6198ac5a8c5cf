package dev.latch.auth.key;

import dev.latch.auth.config.AuthConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/.well-known")
public class WellKnownResource {

    private final SigningKeyStore keys;
    private final AuthConfig config;

    public WellKnownResource(SigningKeyStore keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/jwks.json")
    @Produces({"application/jwk-set+json", MediaType.APPLICATION_JSON})
    @Operation(summary = "The JWKS: every public key that may still verify a live token")
    @APIResponse(responseCode = "200", description = "The key set (RFC 7517)")
    public Response jwks() {
        return Response.ok(keys.jwksJson(), "application/jwk-set+json")
                .header(
                        "Cache-Control",
                        "public, max-age=" + config.keys().jwksMaxAge().toSeconds())
                .build();
    }

    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (issuer, endpoints, grants, algorithms)")
    @APIResponse(responseCode = "200", description = "The metadata")
    public Response discovery() {
        String issuer = config.token().issuer();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/.well-known/jwks.json");
        doc.put("authorization_endpoint", issuer + "/oauth2/authorize");
        doc.put("token_endpoint", issuer + "/oauth2/token");
        doc.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        doc.put("end_session_endpoint", issuer + "/oauth2/logout");
        doc.put("pushed_authorization_request_endpoint", issuer + "/oauth2/par");
        doc.put("device_authorization_endpoint", issuer + "/oauth2/device_authorization");
        doc.put("introspection_endpoint", issuer + "/oauth2/introspect");
        doc.put("revocation_endpoint", issuer + "/oauth2/revoke");
        doc.put(
                "grant_types_supported",
                List.of(
                        "authorization_code",
                        "refresh_token",
                        "client_credentials",
                        "urn:ietf:params:oauth:grant-type:device_code"));
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query", "form_post"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("require_pushed_authorization_requests", false);
        doc.put("request_parameter_supported", false);
        doc.put("request_uri_parameter_supported", true);
        doc.put("backchannel_logout_supported", true);
        doc.put("backchannel_logout_session_supported", true);
        doc.put("frontchannel_logout_supported", false);
        doc.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        List<String> clientAuth = List.of("client_secret_basic", "client_secret_post", "none");
        doc.put("token_endpoint_auth_methods_supported", clientAuth);
        doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("revocation_endpoint_auth_methods_supported", clientAuth);
        doc.put("id_token_signing_alg_values_supported", keys.algorithms());
        doc.put("access_token_signing_alg_values_supported", keys.algorithms());
        doc.put("subject_types_supported", List.of("public"));
        doc.put(
                "claims_supported",
                List.of(
                        "iss",
                        "sub",
                        "aud",
                        "exp",
                        "iat",
                        "nbf",
                        "jti",
                        "auth_time",
                        "nonce",
                        "at_hash",
                        "sid",
                        "amr",
                        "azp",
                        "client_id",
                        "scope",
                        "username",
                        "role",
                        "status",
                        "preferred_username",
                        "name",
                        "email",
                        "email_verified",
                        "picture"));
        return Response.ok(doc).header("Cache-Control", "public, max-age=300").build();
    }
}
