package dev.latch.auth.oauth2.device;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.oauth2.ClientAuthenticator;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthError;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.oauth2.OAuthExceptionMapper;
import dev.latch.auth.oauth2.OAuthForm;
import dev.latch.auth.oauth2.grant.ClientResolver;
import dev.latch.auth.oauth2.grant.Grant;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The device authorization endpoint (RFC 8628 §3.1–3.2): a device (a CLI, a TV) names its client, publicly or
 * authenticated like at the token endpoint, and gets a device code to poll the token endpoint with and a user code
 * for its user to enter at {@code {issuer}/device}.
 */
@Path("/oauth2/device_authorization")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OpenID Provider")
public class DeviceAuthorizationResource {

    private final AuthConfig config;
    private final ClientAuthenticator authenticator;
    private final ClientResolver clients;
    private final DeviceAuthorizations requests;

    public DeviceAuthorizationResource(
            AuthConfig config,
            ClientAuthenticator authenticator,
            ClientResolver clients,
            DeviceAuthorizations requests) {
        this.config = config;
        this.authenticator = authenticator;
        this.clients = clients;
        this.requests = requests;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Device authorization request (RFC 8628): a device code and a user code")
    @APIResponse(
            responseCode = "200",
            description = "device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval")
    @APIResponse(
            responseCode = "400",
            description = "invalid_request, unauthorized_client (no device_code grant) or invalid_scope",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(
            responseCode = "401",
            description = "invalid_client: an unknown client, or a confidential one that failed to authenticate",
            headers =
                    @Header(
                            name = "WWW-Authenticate",
                            description = "Bearer error=\"invalid_token\", and Basic realm=\"latch\" after Basic"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(
            responseCode = "429",
            description = "invalid_client: too many failed client authentications",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    public Response authorize(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc) {
        OAuthForm params = OAuthForm.of(form);
        String ip = AuditService.clientIp(rc);
        ClientAuthenticator.ClientAuth auth = authenticator.authenticate(authorization, params, ip);
        auth.optional();
        ClientRegistry.Client client = clients.of(new Grant.Request(params, auth, ip));
        if (!client.allows(DeviceCodeGrant.TYPE)) {
            throw OAuthException.unauthorizedClient(DeviceCodeGrant.TYPE);
        }
        List<String> scopes = scopes(client, params.get("scope"));
        DeviceAuthorizations.Issued issued = requests.issue(client.id(), scopes);
        String verificationUri = config.token().issuer() + DeviceResource.PATH;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", issued.deviceCode());
        body.put("user_code", issued.userCode());
        body.put("verification_uri", verificationUri);
        body.put(
                "verification_uri_complete",
                verificationUri + "?user_code=" + URLEncoder.encode(issued.userCode(), StandardCharsets.UTF_8));
        body.put("expires_in", issued.expiresIn());
        body.put("interval", issued.interval());
        return OAuthExceptionMapper.noStore(Response.ok(body)).build();
    }

    /** The requested scopes, each one the client's; all the client's when it asks for none. */
    private static List<String> scopes(ClientRegistry.Client client, String scope) {
        if (scope == null || scope.isBlank()) {
            return client.scopes();
        }
        List<String> requested =
                List.copyOf(new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +"))));
        if (!client.scopes().containsAll(requested)) {
            throw OAuthException.invalidScope("The client may not request these scopes.");
        }
        return requested;
    }
}
