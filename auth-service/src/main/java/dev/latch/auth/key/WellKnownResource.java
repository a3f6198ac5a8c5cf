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
        doc.put("token_endpoint", issuer + "/oauth2/token");
        doc.put("introspection_endpoint", issuer + "/oauth2/introspect");
        doc.put("revocation_endpoint", issuer + "/oauth2/revoke");
        doc.put("grant_types_supported", List.of("client_credentials", "refresh_token"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("id_token_signing_alg_values_supported", keys.algorithms());
        doc.put("token_endpoint_auth_signing_alg_values_supported", keys.algorithms());
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
                        "client_id",
                        "scope",
                        "username",
                        "role",
                        "status"));
        return Response.ok(doc).header("Cache-Control", "public, max-age=300").build();
    }
}
