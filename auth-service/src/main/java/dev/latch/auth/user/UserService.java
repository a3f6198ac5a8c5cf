package dev.latch.auth.user;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import dev.latch.common.error.Validation;
import dev.latch.common.security.SecureTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

@ApplicationScoped
public class UserService {

    /** Longer passwords are refused before hashing, at sign-up and sign-in alike. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private final AuthConfig config;
    private final PasswordHasher hasher;
    private final AuditService audit;
    private final UserRepository users;
    private final Validator validator;

    public UserService(
            AuthConfig config, PasswordHasher hasher, AuditService audit, UserRepository users, Validator validator) {
        this.config = config;
        this.hasher = hasher;
        this.audit = audit;
        this.users = users;
        this.validator = validator;
    }

    public static String normalizeUsername(String username) {
        return username == null ? null : username.trim().toLowerCase(Locale.ROOT);
    }

    /** A local sign-up: refused while sign-up is disabled, then checked against {@link SignUpRequest}'s rules. */
    @Transactional
    public User signUp(SignUpRequest request) {
        if (!config.signup().enabled()) {
            throw ProblemException.forbidden("Sign-up is disabled.");
        }
        Validation.validate(validator, request);
        String username = normalizeUsername(request.username());
        String password = request.password();
        String mail = EmailAddress.Validator.normalize(request.email());
        String displayName = request.displayName();
        // hashed before the first query: no connection or lock is held during Argon2
        String passwordHash = hasher.hash(password);
        lockFirstUser();
        if (users.findByUsername(username).isPresent()) {
            throw ProblemException.conflict("This username is taken.");
        }
        if (mail != null && users.findByEmail(mail).isPresent()) {
            throw ProblemException.conflict("This email is already registered.");
        }
        User user = newUser(username, mail, false, displayName, null, bootstrapRole());
        user.passwordHash = passwordHash;
        users.persist(user);
        audit.record(AuditService.SIGNUP, user.id.toString(), user.username, Map.of("role", user.role.name()));
        return user;
    }

    public enum Bootstrap {
        CREATED,
        ADMIN_EXISTS,
        NAME_TAKEN
    }

    /** The configured first ADMIN, created once (replicas starting together serialise on the same lock). */
    @Transactional
    public Bootstrap bootstrapAdmin(String rawUsername, String password) {
        // the rules of a sign-up, without an email or display name
        String refused = validator.validate(new SignUpRequest(rawUsername, password, null, null)).stream()
                .map(ConstraintViolation::getMessage)
                .sorted()
                .collect(Collectors.joining(" "));
        if (!refused.isEmpty()) {
            throw new IllegalStateException("Bootstrap ADMIN: " + refused);
        }
        String username = normalizeUsername(rawUsername);
        String passwordHash = hasher.hash(password);
        lockFirstUser();
        if (users.countAdmins() > 0) {
            return Bootstrap.ADMIN_EXISTS;
        }
        if (users.findByUsername(username).isPresent()) {
            return Bootstrap.NAME_TAKEN;
        }
        User user = newUser(username, null, false, null, null, User.Role.ADMIN);
        user.passwordHash = passwordHash;
        users.persist(user);
        audit.record(
                AuditService.SIGNUP, user.id.toString(), user.username, Map.of("role", "ADMIN", "bootstrap", true));
        return Bootstrap.CREATED;
    }

    /**
     * An ADMIN changes a user's role and/or status (null keeps it). There is always one active ADMIN
     * left: demoting or disabling the last one is 409. Serialised with sign-up and the bootstrap on one lock.
     */
    @Transactional
    public User changeRoleAndStatus(User admin, UUID id, User.Role role, User.Status status) {
        lockFirstUser();
        User user = users.findById(id);
        if (user == null) {
            throw ProblemException.notFound("No user with this id.");
        }
        User.Role nextRole = role == null ? user.role : role;
        User.Status nextStatus = status == null ? user.status : status;
        boolean losesAdmin = user.role == User.Role.ADMIN
                && user.active()
                && (nextRole != User.Role.ADMIN || nextStatus != User.Status.ACTIVE);
        if (losesAdmin && users.countActiveAdmins() <= 1) {
            throw ProblemException.conflict("This is the last active ADMIN: make another user ADMIN first.");
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("user_id", user.id.toString());
        change.put("username", user.username);
        if (nextRole != user.role) {
            change.put("role", nextRole.name());
        }
        if (nextStatus != user.status) {
            change.put("status", nextStatus.name());
        }
        if (change.size() > 2) {
            user.role = nextRole;
            user.status = nextStatus;
            user.updatedAt = Instant.now();
            audit.record(AuditService.USER_UPDATED, admin.id.toString(), admin.username, change);
        }
        return user;
    }

    /**
     * The user with this username and password, upgrading an old hash; empty for any mismatch. No
     * transaction (and no pooled connection) is held while the password is hashed.
     */
    public Optional<User> authenticate(String rawUsername, String password) {
        String username = normalizeUsername(rawUsername);
        Optional<User> found = username == null
                ? Optional.empty()
                : QuarkusTransaction.requiringNew().call(() -> users.findByUsername(username));
        if (found.isEmpty() || found.get().passwordHash == null) {
            hasher.verifyDummy(password == null ? "" : password);
            return Optional.empty();
        }
        User user = found.get();
        if (password == null || !hasher.verify(password, user.passwordHash)) {
            return Optional.empty();
        }
        if (hasher.needsRehash(user.passwordHash)) {
            String upgraded = hasher.hash(password);
            QuarkusTransaction.requiringNew().run(() -> users.updatePasswordHash(user.id, upgraded));
            user.passwordHash = upgraded;
        }
        return Optional.of(user);
    }

    public record Linked(User user, boolean existingUser) {}

    /** What the broker asserts about a provider login. */
    public record FederatedLogin(
            String provider,
            String issuer,
            String subject,
            String email,
            boolean emailVerified,
            String displayName,
            String avatarUrl,
            boolean allowSignup) {}

    /** Problem type of a federated login refused because sign-up is disabled; the broker maps it to {@code signup_disabled}. */
    public static final String SIGNUP_DISABLED_TYPE = "urn:latch:problem:signup-disabled";

    /**
     * The broker's login: the (provider, issuer, subject) link first; then an existing account by email,
     * only when the broker says the email may link (the provider asserted it verified and is trusted for
     * it), and only into an account whose email Latch itself holds as verified and that is not an ADMIN;
     * otherwise a new user — if sign-up is open or the provider allows sign-up. Linking never changes
     * the existing account, and an unverified email is never stored.
     */
    @Transactional
    public Linked linkFederated(FederatedLogin login) {
        Optional<Linked> linked = existingLink(login);
        if (linked.isPresent()) {
            return linked.get();
        }
        lockFirstUser();
        // concurrent first logins of one identity: the first to take the lock creates the user, and the others,
        // reading again once it has committed, find its link instead of inserting a duplicate
        linked = existingLink(login);
        if (linked.isPresent()) {
            return linked.get();
        }
        String verifiedEmail =
                login.emailVerified() && login.email() != null && !login.email().isBlank()
                        ? login.email().trim()
                        : null;
        User holder =
                verifiedEmail == null ? null : users.findByEmail(verifiedEmail).orElse(null);
        boolean linkable = holder != null && holder.emailVerified && holder.role != User.Role.ADMIN;
        User user;
        if (linkable) {
            user = holder;
        } else {
            if (!config.signup().enabled() && !login.allowSignup()) {
                throw new ProblemException(
                        403,
                        "Forbidden",
                        "Sign-up is disabled: this identity is not linked to an account.",
                        SIGNUP_DISABLED_TYPE,
                        Map.of());
            }
            // an address another account holds (unverified, or an ADMIN's) stays with it; the new user has none
            String email = holder == null ? verifiedEmail : null;
            user = newUser(
                    uniqueUsername(email, login.displayName(), login.provider()),
                    email,
                    email != null,
                    login.displayName(),
                    login.avatarUrl(),
                    User.Role.USER);
            users.persist(user);
        }
        FederatedIdentity identity = new FederatedIdentity();
        identity.id = UUID.randomUUID();
        identity.userId = user.id;
        identity.provider = login.provider();
        identity.issuer = login.issuer();
        identity.subject = login.subject();
        identity.email = verifiedEmail;
        identity.createdAt = Instant.now();
        users.persistLink(identity);
        return new Linked(user, linkable);
    }

    private Optional<Linked> existingLink(FederatedLogin login) {
        return users.findLink(login.provider(), login.issuer(), login.subject()).map(identity -> {
            if (identity.issuer == null && login.issuer() != null) {
                identity.issuer = login.issuer();
            }
            return new Linked(users.findById(identity.userId), true);
        });
    }

    private User newUser(
            String username,
            String email,
            boolean emailVerified,
            String displayName,
            String avatarUrl,
            User.Role role) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.username = username;
        user.email = email;
        user.emailVerified = emailVerified;
        user.displayName = displayName;
        user.avatarUrl = avatarUrl;
        user.role = role;
        user.status = User.Status.ACTIVE;
        user.createdAt = Instant.now();
        user.updatedAt = user.createdAt;
        return user;
    }

    /**
     * The bootstrap ADMIN: the first local sign-up, while no ADMIN exists and no other local account
     * does. A federated user never becomes ADMIN this way.
     */
    private User.Role bootstrapRole() {
        return users.anyAdminOrLocalAccount() ? User.Role.USER : User.Role.ADMIN;
    }

    /** Serialises user creation so exactly one first user becomes ADMIN. */
    private void lockFirstUser() {
        users.lockUserCreation();
    }

    private String uniqueUsername(String email, String displayName, String provider) {
        String source =
                email != null ? email.substring(0, email.indexOf('@')) : displayName != null ? displayName : provider;
        String base =
                source.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (base.length() < 3) {
            base = (base + "-user").replaceAll("^-", "");
        }
        if (base.length() > 24) {
            base = base.substring(0, 24);
        }
        String candidate = base;
        while (users.findByUsername(candidate).isPresent()) {
            candidate = base + "-" + SecureTokens.randomBase62(6).toLowerCase(Locale.ROOT);
        }
        return candidate;
    }
}
