package dev.latch.example;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/** RFC 9068: an access token's header says {@code typ: at+jwt}, so no other JWT passes for one. */
@Unremovable // quarkus-oidc looks Validator beans up at run time
@ApplicationScoped
public class AccessTokenType implements Validator {

    @Override
    public String validate(JwtContext jwtContext) {
        String typ = jwtContext.getJoseObjects().get(0).getHeader("typ");
        return "at+jwt".equalsIgnoreCase(typ) || "application/at+jwt".equalsIgnoreCase(typ)
                ? null
                : "The token is not an access token (typ " + typ + ")";
    }
}
