package dev.latch.idp.linking;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * auth-service's {@code POST /internal/v1/federated-sessions} (REST client {@code auth-service}), with the
 * broker's client-credentials token as bearer: {@link OidcClientFilter} takes it from quarkus-oidc-client,
 * which keeps it until shortly before it expires, and after a 401 gets a new one for the next call
 * ({@code quarkus.rest-client-oidc-filter.refresh-on-unauthorized}). {@link AuthSessionClient} maps the answers.
 */
@RegisterRestClient(configKey = "auth-service")
@OidcClientFilter
@RegisterProvider(FederatedSessionsApi.NotOk.class)
@Path("/internal/v1/federated-sessions")
public interface FederatedSessionsApi {

    /** What the broker tells auth-service about a finished provider login; nulls are sent as JSON nulls. */
    @RegisterForReflection
    record SessionRequest(
            String provider,
            String subject,
            String email,
            boolean emailVerified,
            String displayName,
            String avatarUrl,
            String issuer,
            boolean allowSignup) {}

    /** Headers absent when null. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    AuthSessionClient.Session create(
            SessionRequest request,
            @HeaderParam("X-Latch-Client-IP") String clientIp,
            @HeaderParam("X-Latch-Client-User-Agent") String userAgent);

    /** Any answer but 200 (a 201 or a redirect too), with its body for the problem type of a 403. */
    final class Answered extends RuntimeException {
        private final int status;
        private final String body;

        Answered(int status, String body) {
            super("auth-service answered " + status, null, false, false);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    /**
     * Every status but 200 becomes {@link Answered}, not only the 4xx and 5xx of the default mapper. A request
     * that got no answer (refused, timed out, no token) also passes the response filters, with status 0: it
     * stays the client's {@link jakarta.ws.rs.ProcessingException}.
     */
    final class NotOk implements ResponseExceptionMapper<Answered> {
        @Override
        public boolean handles(int status, MultivaluedMap<String, Object> headers) {
            return status >= 100 && status != 200;
        }

        @Override
        public Answered toThrowable(Response response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            return new Answered(response.getStatus(), body);
        }
    }
}
