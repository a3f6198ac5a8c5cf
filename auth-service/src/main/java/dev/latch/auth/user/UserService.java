package dev.latch.auth.user;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

@ApplicationScoped
public class UserService {

    public static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final long FIRST_USER_LOCK = 7240532;

    private final AuthConfig config;
    private final PasswordHasher hasher;
    private final AuditService audit;
    private final EntityManager em;

    public UserService(AuthConfig config, PasswordHasher hasher, AuditService audit, EntityManager em) {
        this.config = config;
        this.hasher = hasher;
        this.audit = audit;
        this.em = em;
    }

    public static String normalizeUsername(String username) {
        return username == null ? null : username.trim().toLowerCase(Locale.ROOT);
    }

    @Transactional
    public User signUp(String rawUsername, String password, String email, String displayName) {
        if (!config.signup().enabled()) {
            throw ProblemException.forbidden("Sign-up is disabled.");
        }
        String username = normalizeUsername(rawUsername);
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ProblemException.badRequest("username must be 3 to 32 of a-z, 0-9, '.', '_' and '-'.");
        }
        if (password == null || password.length() < 8 || password.length() > 1024) {
            throw ProblemException.badRequest("password must be 8 to 1024 characters.");
        }
        String mail = email == null || email.isBlank() ? null : email.trim();
        if (mail != null && (mail.length() > 320 || !EMAIL.matcher(mail).matches())) {
            throw ProblemException.badRequest("email is not a valid address.");
        }
        if (displayName != null && displayName.length() > 200) {
            throw ProblemException.badRequest("displayName must be at most 200 characters.");
        }
        lockFirstUser();
        if (User.findByUsername(username).isPresent()) {
            throw ProblemException.conflict("This username is taken.");
        }
        if (mail != null && User.findByEmail(mail).isPresent()) {
            throw ProblemException.conflict("This email is already registered.");
        }
        User user = newUser(username, mail, false, displayName, null);
        user.passwordHash = hasher.hash(password);
        user.persist();
        audit.record(AuditService.SIGNUP, user.id.toString(), user.username, Map.of("role", user.role.name()));
        return user;
    }

    /** The user with this username and password, upgrading an old hash; empty for any mismatch. */
    @Transactional
    public Optional<User> authenticate(String rawUsername, String password) {
        String username = normalizeUsername(rawUsername);
        Optional<User> found = username == null ? Optional.empty() : User.findByUsername(username);
        if (found.isEmpty() || found.get().passwordHash == null) {
            hasher.verifyDummy(password == null ? "" : password);
            return Optional.empty();
        }
        User user = found.get();
        if (password == null || !hasher.verify(password, user.passwordHash)) {
            return Optional.empty();
        }
        if (hasher.needsRehash(user.passwordHash)) {
            user.passwordHash = hasher.hash(password);
            user.updatedAt = Instant.now();
        }
        return Optional.of(user);
    }

    public record Linked(User user, boolean existingUser) {
    }

    /**
     * The broker's login: the (provider, subject) link first; then an existing account with the same
     * email only when the provider asserts the email is verified; otherwise a new user. An unverified
     * email is never stored, so it can never be used to take over an account later.
     */
    @Transactional
    public Linked linkFederated(String provider, String subject, String email, boolean emailVerified,
            String displayName, String avatarUrl) {
        Optional<FederatedIdentity> link = FederatedIdentity.find(provider, subject);
        if (link.isPresent()) {
            return new Linked(User.findById(link.get().userId), true);
        }
        String verifiedEmail = emailVerified && email != null && !email.isBlank() ? email.trim() : null;
        lockFirstUser();
        User user = verifiedEmail == null ? null : User.findByEmail(verifiedEmail).orElse(null);
        boolean existing = user != null;
        if (user == null) {
            user = newUser(uniqueUsername(verifiedEmail, displayName, provider), verifiedEmail, verifiedEmail != null,
                    displayName, avatarUrl);
            user.persist();
        } else if (!user.emailVerified) {
            user.emailVerified = true;
            user.updatedAt = Instant.now();
        }
        FederatedIdentity identity = new FederatedIdentity();
        identity.id = UUID.randomUUID();
        identity.userId = user.id;
        identity.provider = provider;
        identity.subject = subject;
        identity.email = verifiedEmail;
        identity.createdAt = Instant.now();
        identity.persist();
        return new Linked(user, existing);
    }

    private User newUser(String username, String email, boolean emailVerified, String displayName, String avatarUrl) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.username = username;
        user.email = email;
        user.emailVerified = emailVerified;
        user.displayName = displayName;
        user.avatarUrl = avatarUrl;
        user.role = User.count() == 0 ? User.Role.ADMIN : User.Role.USER;
        user.status = User.Status.ACTIVE;
        user.createdAt = Instant.now();
        user.updatedAt = user.createdAt;
        return user;
    }

    /** Serialises user creation so exactly one first user becomes ADMIN. */
    private void lockFirstUser() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(" + FIRST_USER_LOCK + ")").getSingleResult();
    }

    private String uniqueUsername(String email, String displayName, String provider) {
        String source = email != null ? email.substring(0, email.indexOf('@')) : displayName != null ? displayName : provider;
        String base = source.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (base.length() < 3) {
            base = (base + "-user").replaceAll("^-", "");
        }
        if (base.length() > 24) {
            base = base.substring(0, 24);
        }
        String candidate = base;
        while (User.findByUsername(candidate).isPresent()) {
            candidate = base + "-" + SecureTokens.randomBase62(6).toLowerCase(Locale.ROOT);
        }
        return candidate;
    }
}
