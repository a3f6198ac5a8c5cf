package dev.latch.common.auth;

import dev.latch.common.error.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one place where personal access token scopes are enforced, in every service: a request made
 * with a PAT, or with a user's access token issued to an OAuth client (delegated access), reaches a secured
 * endpoint only when the token's scopes allow it (see {@link Scopes}).
 * Endpoints without security annotations are left alone, so their callers' stale or foreign tokens are
 * never parsed for nothing.
 */
public class PersonalAccessTokenScopes {

    private final CurrentIdentityAssociation identity;

    public PersonalAccessTokenScopes(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Void> enforce(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || !secured(method, type)) {
            return Uni.createFrom().voidItem();
        }
        return identity.getDeferredIdentity()
                .onItem()
                .invoke(id -> check(id, method, type))
                .replaceWithVoid();
    }

    private static void check(SecurityIdentity id, Method method, Class<?> type) {
        if (id == null || id.isAnonymous() || !(id.getPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        boolean pat = "pat".equals(token.getClaim("token_type"));
        boolean delegated = !pat && delegated(token);
        if (!pat && !delegated) {
            return;
        }
        if (annotated(method, type, NotForPersonalAccessTokens.class)) {
            throw refused(
                    null,
                    pat
                            ? "A personal access token cannot manage tokens or sessions: sign in instead."
                            : "A token issued to an OAuth client cannot manage tokens or sessions.");
        }
        String scope = token.getClaim("scope");
        List<String> granted = scope == null || scope.isBlank()
                ? List.of()
                : Arrays.asList(scope.trim().split("\\s+"));
        if (pat && granted.isEmpty()) {
            return;
        }
        List<String> required = required(method, type);
        if (required.stream().noneMatch(granted::contains)) {
            String names = String.join(" ", required);
            throw refused(
                    names,
                    required.isEmpty()
                            ? (pat
                                    ? "This endpoint cannot be called with a scoped personal access token."
                                    : "This endpoint cannot be called with a token issued to an OAuth client.")
                            : (pat ? "This personal access token" : "This client's token") + " lacks the scope "
                                    + String.join(" or ", required) + ".");
        }
    }

    /** A user's access token issued to an OAuth client other than Latch's own sign-in: access it delegated. */
    private static boolean delegated(JsonWebToken token) {
        Object client = token.getClaim("client_id");
        return token.getClaim("username") != null
                && client != null
                && !Scopes.FIRST_PARTY_CLIENT.equals(client.toString());
    }

    /** {@link RequiresScope} of the method, else of the class (any one suffices); ADMIN endpoints need {@code admin}. */
    private static List<String> required(Method method, Class<?> type) {
        if (adminOnly(method) || method.getAnnotation(RolesAllowed.class) == null && adminOnly(type)) {
            return List.of(Scopes.ADMIN);
        }
        RequiresScope scope = method.getAnnotation(RequiresScope.class);
        if (scope == null) {
            scope = type.getAnnotation(RequiresScope.class);
        }
        return scope == null ? List.of() : List.of(scope.value());
    }

    private static boolean adminOnly(AnnotatedElement element) {
        RolesAllowed roles = element.getAnnotation(RolesAllowed.class);
        return roles != null && Arrays.asList(roles.value()).contains("ADMIN");
    }

    private static boolean secured(Method method, Class<?> type) {
        return annotated(method, type, Authenticated.class)
                || annotated(method, type, RolesAllowed.class)
                || annotated(method, type, RequiresScope.class)
                || annotated(method, type, NotForPersonalAccessTokens.class);
    }

    private static boolean annotated(Method method, Class<?> type, Class<? extends java.lang.annotation.Annotation> a) {
        return method.isAnnotationPresent(a) || type.isAnnotationPresent(a);
    }

    private static ProblemException refused(String scope, String detail) {
        String challenge = "Bearer error=\"insufficient_scope\""
                + (scope == null || scope.isEmpty() ? "" : ", scope=\"" + scope + "\"");
        return new ProblemException(403, "Forbidden", detail, "about:blank", Map.of("WWW-Authenticate", challenge));
    }
}
