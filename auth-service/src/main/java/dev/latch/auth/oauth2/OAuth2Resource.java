package dev.latch.auth.oauth2;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.oauth2.ClientAuthenticator.ClientAuth;
import dev.latch.auth.oauth2.grant.Grant;
import dev.latch.auth.oauth2.introspect.TokenIntrospection;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;

/**
 * OAuth 2.0 endpoints: token (RFC 6749, one {@link Grant} per grant type), introspection (RFC 7662) and revocation
 * (RFC 7009). This class parses the form, authenticates the client and dispatches; refusals are thrown as
 * {@link OAuthException}.
 */
public class OAuth2Resource implements OAuth2Endpoints {

    public static final String INTROSPECT_SCOPE = "tokens:introspect";

    private final ClientAuthenticator clients;
    private final ClientRegistry registry;
    private final Map<String, Grant> grants = new TreeMap<>();
    private final TokenIntrospection introspection;
    private final TokenRevocation revocation;

    public OAuth2Resource(
            ClientAuthenticator clients,
            ClientRegistry registry,
            Instance<Grant> grants,
            TokenIntrospection introspection,
            TokenRevocation revocation) {
        this.clients = clients;
        this.registry = registry;
        grants.forEach(grant -> this.grants.put(grant.type(), grant));
        this.introspection = introspection;
        this.revocation = revocation;
    }

    @Override
    public Response token(String authorization, MultivaluedMap<String, String> form, RoutingContext rc) {
        OAuthForm params = OAuthForm.of(form);
        String ip = AuditService.clientIp(rc);
        ClientAuth client = clients.authenticate(authorization, params, ip);
        client.optional();
        String type = params.get("grant_type");
        if (type == null) {
            throw OAuthException.invalidRequest("grant_type is required.");
        }
        Grant grant = grants.get(type);
        if (grant == null) {
            throw OAuthException.unsupportedGrantType("Supported grants: " + String.join(", ", grants.keySet()) + ".");
        }
        return OAuthExceptionMapper.noStore(Response.ok(grant.grant(new Grant.Request(params, client, ip))))
                .build();
    }

    @Override
    public Response introspect(String authorization, MultivaluedMap<String, String> form, RoutingContext rc) {
        OAuthForm params = OAuthForm.of(form);
        ClientRegistry.Client client = clients.authenticate(authorization, params, AuditService.clientIp(rc))
                .require();
        if (!client.scopes().contains(INTROSPECT_SCOPE)) {
            throw OAuthException.insufficientScope("The client needs the scope " + INTROSPECT_SCOPE + ".");
        }
        Map<String, Object> answer = introspection.introspect(params.require("token"), params.get("token_type_hint"));
        return OAuthExceptionMapper.noStore(Response.ok(answer)).build();
    }

    @Override
    public Response revoke(String authorization, MultivaluedMap<String, String> form, RoutingContext rc) {
        OAuthForm params = OAuthForm.of(form);
        ClientAuth auth = clients.authenticate(authorization, params, AuditService.clientIp(rc));
        // RFC 7009 §2.1: a public client (a browser app, a CLI) revokes its own tokens naming itself by client_id
        ClientRegistry.Client client = auth.optional()
                .or(() -> registry.find(params.get("client_id")).filter(c -> !c.confidential()))
                .orElseThrow(() -> OAuthException.invalidClient(auth.basic()));
        revocation.revoke(params.require("token"), client.id());
        return Response.ok().build();
    }
}
