package dev.latch.auth.oauth2.authorize;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The scopes a user allowed a client, remembered: the row of {@code consents}. */
@Entity
@Table(name = "consents")
@IdClass(Consent.Key.class)
public class Consent {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Id
    @Column(name = "client_id")
    public String clientId;

    public String[] scopes;

    @Column(name = "granted_at")
    public Instant grantedAt;

    public static class Key implements Serializable {
        public UUID userId;
        public String clientId;

        public Key() {}

        public Key(UUID userId, String clientId) {
            this.userId = userId;
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(clientId, k.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, clientId);
        }
    }
}
