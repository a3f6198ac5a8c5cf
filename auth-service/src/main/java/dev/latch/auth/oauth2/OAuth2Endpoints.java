package dev.latch.auth.oauth2;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OAuth 2.0 endpoints as HTTP sees them: paths, parameters and documented answers (RFC 6749 §5.2 errors as
 * {@code application/json} with the RFC 9457 members too). {@link OAuth2Resource} implements them.
 */
@Path("/oauth2")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@APIResponse(
        responseCode = "400",
        description = "RFC 6749 §5.2 error: invalid_request, invalid_grant, unauthorized_client, "
                + "invalid_scope or unsupported_grant_type; for the device_code grant also authorization_pending, "
                + "slow_down, access_denied or expired_token (RFC 8628 §3.5)",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
@APIResponse(
        responseCode = "401",
        description = "invalid_client: client authentication failed",
        headers =
                @Header(
                        name = "WWW-Authenticate",
                        description = "Bearer error=\"invalid_token\", and Basic realm=\"latch\" after Basic"),
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
@APIResponse(
        responseCode = "429",
        description = "invalid_client: too many failed client authentications; "
                + "temporarily_unavailable (refresh_token grant): too many refused refresh tokens from this address",
        headers = @Header(name = "Retry-After", description = "Seconds to wait"),
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
@Tag(name = "OAuth 2.0", description = "Token, introspection and revocation (RFC 6749, RFC 7662, RFC 7009)")
public interface OAuth2Endpoints {

    @POST
    @Path("/token")
    @Operation(
            summary = "OAuth 2.0 token endpoint: authorization_code (with PKCE), refresh_token, client_credentials and "
                    + "device_code grants (RFC 6749, RFC 7636, RFC 8628)")
    @APIResponse(
            responseCode = "200",
            description = "access_token, token_type, expires_in, scope (and refresh_token, id_token)")
    Response token(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc);

    @POST
    @Path("/introspect")
    @Operation(
            summary =
                    "Token introspection (RFC 7662) of access tokens, refresh tokens and PATs; client scope tokens:introspect")
    @APIResponse(responseCode = "200", description = "active, and the token's claims and token_use when active")
    @APIResponse(
            responseCode = "403",
            description = "insufficient_scope: the client lacks tokens:introspect",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    Response introspect(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc);

    @POST
    @Path("/revoke")
    @Operation(summary = "Token revocation (RFC 7009) of the client's own refresh tokens")
    @APIResponse(responseCode = "200", description = "Revoked, or not a live token (RFC 7009 §2.2)")
    Response revoke(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc);
}
