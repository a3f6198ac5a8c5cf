package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.oauth2.ClientAuthenticator;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthError;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.oauth2.OAuthExceptionMapper;
import dev.latch.auth.oauth2.OAuthForm;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Pushed authorization requests (RFC 9126): the client posts its authorization request (authenticated when it is
 * confidential) and gets a single-use {@code request_uri} to send the browser to the authorization endpoint with.
 */
@Path("/oauth2/par")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OpenID Provider")
public class ParResource {

    private final ClientAuthenticator clients;
    private final AuthorizationRequests requests;
    private final PendingRequests pending;

    public ParResource(ClientAuthenticator clients, AuthorizationRequests requests, PendingRequests pending) {
        this.clients = clients;
        this.requests = requests;
        this.pending = pending;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Pushed authorization request (RFC 9126)")
    @APIResponse(responseCode = "201", description = "request_uri and expires_in")
    @APIResponse(
            responseCode = "400",
            description = "RFC 6749 §5.2 error: invalid_request, invalid_scope, unauthorized_client …",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(
            responseCode = "401",
            description = "invalid_client: client authentication failed",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(
            responseCode = "429",
            description = "invalid_client: too many failed client authentications",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    public Response push(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc) {
        OAuthForm params = OAuthForm.of(form);
        ClientAuthenticator.ClientAuth auth = clients.authenticate(authorization, params, AuditService.clientIp(rc));
        ClientRegistry.Client client = auth.optional()
                .or(() -> requests.publicClient(params.get("client_id")))
                .orElseThrow(() -> OAuthException.invalidClient(true));
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (!k.equals("client_secret") && !v.isEmpty()) {
                values.put(k, v.get(0));
            }
        });
        values.put("client_id", client.id());
        try {
            requests.readPushed(client, values);
        } catch (AuthorizationErrors.Untrusted e) {
            throw OAuthException.invalidRequest(e.getMessage());
        } catch (AuthorizationErrors.Redirected e) {
            throw new OAuthException(400, e.error(), e.getMessage(), Map.of());
        }
        String requestUri = pending.push(client.id(), values);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_uri", requestUri);
        body.put("expires_in", pending.parTtl().toSeconds());
        return OAuthExceptionMapper.noStore(Response.status(201).entity(body)).build();
    }
}
