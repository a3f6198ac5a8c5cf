package dev.latch.common.auth;

import java.util.Set;

/**
 * The scope vocabulary of personal access tokens. A PAT with scopes may call only endpoints that
 * declare one of them ({@link RequiresScope}); ADMIN endpoints ({@code @RolesAllowed("ADMIN")}) need
 * {@link #ADMIN} as well as an ADMIN owner. A PAT without scopes has its owner's rights, except token
 * and session management ({@link NotForPersonalAccessTokens}), which no PAT ever has. Access tokens of a
 * signed-in user (client {@link #FIRST_PARTY_CLIENT}) are not restricted by these scopes; a user's access token
 * issued to any other OAuth client (the OpenID Provider's clients) is delegated access: like a PAT with scopes it
 * reaches only the endpoints its scopes name (none with just {@code openid profile email}), and never token and
 * session management, whatever its user's rights.
 */
public final class Scopes {

    /** Read the owner's profile ({@code GET /v1/users/me}, which a PAT with any scope may read). */
    public static final String PROFILE_READ = "profile:read";
    /** List, read and download attachments, and get their URLs. */
    public static final String ATTACHMENTS_READ = "attachments:read";
    /** Upload and delete attachments. */
    public static final String ATTACHMENTS_WRITE = "attachments:write";
    /** ADMIN endpoints, for an ADMIN owner only. */
    public static final String ADMIN = "admin";

    public static final Set<String> VOCABULARY = Set.of(PROFILE_READ, ATTACHMENTS_READ, ATTACHMENTS_WRITE, ADMIN);

    /** The {@code client_id} of the access tokens Latch's own sign-in issues. */
    public static final String FIRST_PARTY_CLIENT = "latch";

    private Scopes() {}
}
