package dev.latch.auth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.auth.Api;
import dev.latch.auth.key.SigningKeyStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** Access tokens are verified strictly: every forgery and misuse below answers 401 with problem+json. */
@QuarkusTest
public class TokenVerificationTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    SigningKeyStore keys;

    @Test
    void tokenVerifiesWithAnIndependentLibraryUsingOnlyTheJwks() throws Exception {
        String token = Api.newUserToken();
        String jwksJson = given().get("/.well-known/jwks.json")
                .then()
                .statusCode(200)
                .header("Cache-Control", org.hamcrest.Matchers.containsString("max-age="))
                .extract()
                .asString();
        JWKSet jwks = JWKSet.parse(jwksJson);
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertEquals(key.computeThumbprint().toString(), jwt.getHeader().getKeyID(), "kid is the RFC 7638 thumbprint");
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String issuer = given().get("/.well-known/openid-configuration")
                .then()
                .statusCode(200)
                .extract()
                .path("issuer");
        assertEquals(issuer, claims.getIssuer());
        assertEquals(java.util.List.of("latch"), claims.getAudience());
        long lifetime =
                (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
        assertEquals(900, lifetime);
        for (String claim : new String[] {"sub", "jti", "client_id", "scope", "username", "role", "status"}) {
            assertTrue(claims.getClaims().containsKey(claim), claim);
        }
    }

    @Test
    void discoveryNamesTheEndpoints() {
        given().get("/.well-known/openid-configuration")
                .then()
                .statusCode(200)
                .body("jwks_uri", org.hamcrest.Matchers.endsWith("/.well-known/jwks.json"))
                .body("token_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/token"))
                .body("introspection_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/introspect"))
                .body("revocation_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/revoke"))
                .body("grant_types_supported", org.hamcrest.Matchers.hasItems("client_credentials", "refresh_token"));
    }

    @Test
    void algNoneIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\""
                + keys.active().kid() + "\"}");
        refused(header + "." + b64(validClaims().toJson()) + ".");
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        byte[] publicKey = keys.active().jwk().getPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : new byte[][] {publicKey, pem.getBytes(StandardCharsets.UTF_8)}) {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(new JOSEObjectType("at+jwt"))
                            .keyID(keys.active().kid())
                            .build(),
                    JWTClaimsSet.parse(validClaims().toJson()));
            jwt.sign(new MACSigner(secret));
            refused(jwt.serialize());
        }
    }

    @Test
    void forgedSignatureIsRefused() {
        String token = Api.newUserToken();
        String[] parts = token.split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[sig.length / 2] ^= 0x01;
        refused(parts[0] + "." + parts[1] + "." + B64.encodeToString(sig));
        // the same signature over altered claims
        JwtClaims claims = validClaims();
        claims.setStringClaim("role", "ADMIN");
        refused(parts[0] + "." + b64(claims.toJson()) + "." + parts[2]);
    }

    @Test
    void unknownKidAndForeignKeysAreRefused() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        refused(signWith(
                attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID("attacker")));
        refused(signWith(
                attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID("attacker")
                        .jwkURL(URI.create("https://evil.example/jwks.json"))));
        refused(signWith(
                attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID("attacker")
                        .x509CertURL(URI.create("https://evil.example/cert.pem"))));
        refused(signWith(
                attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .jwk(attacker.toPublicJWK())));
        // even with Latch's own kid, a token carrying its own key is not accepted
        refused(signWith(
                attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID(keys.active().kid())
                        .jwk(attacker.toPublicJWK())));
    }

    @Test
    void headerPointingElsewhereIsRefusedEvenWhenSignedByLatch() {
        // Latch's key, but with a jku header: refused because Latch never lets a token name its key source
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\""
                + keys.active().kid() + "\",\"jku\":\"https://evil.example/jwks.json\"}");
        String signed = keys.sign(validClaims().toJson(), "at+jwt");
        String[] parts = signed.split("\\.");
        refused(header + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void expiredNotYetValidAndWrongClaimsAreRefused() {
        JwtClaims expired = validClaims();
        expired.setIssuedAt(
                NumericDate.fromSeconds(Instant.now().minusSeconds(3600).getEpochSecond()));
        expired.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().minusSeconds(600).getEpochSecond()));
        refused(keys.sign(expired.toJson(), "at+jwt"));

        JwtClaims future = validClaims();
        future.setNotBefore(
                NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
        refused(keys.sign(future.toJson(), "at+jwt"));

        JwtClaims wrongIssuer = validClaims();
        wrongIssuer.setIssuer("https://evil.example");
        refused(keys.sign(wrongIssuer.toJson(), "at+jwt"));

        JwtClaims wrongAudience = validClaims();
        wrongAudience.setAudience("someone-else");
        refused(keys.sign(wrongAudience.toJson(), "at+jwt"));

        refused(keys.sign(validClaims().toJson(), "JWT"));
        // sanity: the same claims with the right typ are accepted
        given().auth()
                .oauth2(keys.sign(validClaims().toJson(), "at+jwt"))
                .get("/v1/users/me")
                .then()
                .statusCode(200);
    }

    @Test
    void refreshTokenAndIdTokenAreNotAccessTokens() {
        String name = Api.uniqueName("idtok");
        Api.signUp(name);
        String refresh = Api.signIn(name, Api.PASSWORD).getCookie("latch_refresh");
        refused(refresh);

        JwtClaims id = validClaims();
        id.setAudience("some-client");
        id.setStringClaim("nonce", "n-0S6_WzA2Mj");
        id.setClaim("auth_time", Instant.now().getEpochSecond());
        refused(keys.sign(id.toJson(), "JWT"));
    }

    @Test
    void oversizedTokensAreRefused() {
        String big = "a".repeat(9 * 1024);
        given().auth().oauth2(big).get("/v1/users/me").then().statusCode(401).contentType("application/problem+json");
        try {
            int status = given().auth()
                    .oauth2("a".repeat(100 * 1024))
                    .get("/v1/users/me")
                    .then()
                    .extract()
                    .statusCode();
            assertTrue(status == 401 || status == 431, "100 KB bearer answered " + status);
        } catch (Exception e) {
            // the HTTP layer answers 431 as soon as the headers pass 16 KiB and closes the connection; a client
            // still writing the rest of its 100 KB sees a broken pipe or a reset instead of the 431
            if (!(e instanceof java.net.SocketException)) {
                throw e;
            }
        }
        // either way the server refused it and goes on answering
        given().auth().oauth2(big).get("/v1/users/me").then().statusCode(401);
    }

    private JwtClaims validClaims() {
        String token = Api.newUserToken();
        JwtClaims claims = new JwtClaims();
        try {
            claims = JwtClaims.parse(
                    new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new IllegalStateException(e);
        }
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private String signWith(RSAKey key, JWSHeader.Builder header) throws Exception {
        SignedJWT jwt =
                new SignedJWT(header.build(), JWTClaimsSet.parse(validClaims().toJson()));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public static void refused(String token) {
        given().auth()
                .oauth2(token)
                .get("/v1/users/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("status", equalTo(401));
    }
}
