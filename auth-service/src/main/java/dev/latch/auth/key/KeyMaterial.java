package dev.latch.auth.key;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/** Generating, reading and naming signing keys: JWK or PKCS#8 PEM, RSA, P-256 or Ed25519. */
public final class KeyMaterial {

    private KeyMaterial() {}

    public static PublicJsonWebKey generate(String algorithm) {
        try {
            PublicJsonWebKey jwk = switch (algorithm) {
                case "RS256" -> RsaJwkGenerator.generateJwk(2048);
                case "ES256" -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
                case "EdDSA" -> OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
                default ->
                    throw new IllegalArgumentException(
                            "unsupported signing algorithm " + algorithm + " (RS256, ES256 or EdDSA)");
            };
            return name(jwk, algorithm);
        } catch (JoseException e) {
            throw new IllegalStateException("key generation failed", e);
        }
    }

    /** Sets {@code kid} to the RFC 7638 thumbprint, {@code use: sig} and {@code alg}. */
    static PublicJsonWebKey name(PublicJsonWebKey jwk, String algorithm) {
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256));
        jwk.setUse("sig");
        jwk.setAlgorithm(algorithm);
        return jwk;
    }

    static String algorithmOf(PublicJsonWebKey jwk) {
        return switch (jwk.getKeyType()) {
            case "RSA" -> "RS256";
            case "EC" -> {
                if (!"P-256".equals(((org.jose4j.jwk.EllipticCurveJsonWebKey) jwk).getCurveName())) {
                    throw new IllegalArgumentException("EC signing keys must be on P-256 (ES256)");
                }
                yield "ES256";
            }
            case "OKP" -> "EdDSA";
            default -> throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType());
        };
    }

    static PublicJsonWebKey fromJwkJson(String json) {
        try {
            JsonWebKey key = JsonWebKey.Factory.newJwk(json);
            if (!(key instanceof PublicJsonWebKey pjwk) || pjwk.getPrivateKey() == null) {
                throw new IllegalArgumentException("the JWK holds no private key");
            }
            return name(pjwk, algorithmOf(pjwk));
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a JWK: " + e.getMessage());
        }
    }

    /** A PKCS#8 {@code -----BEGIN PRIVATE KEY-----} PEM (RSA, EC P-256 or Ed25519). */
    static PublicJsonWebKey fromPem(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new IllegalArgumentException("convert the key to PKCS#8: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getDecoder().decode(base64);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                PrivateKey priv = KeyFactory.getInstance(type).generatePrivate(spec);
                PublicKey pub = publicOf(priv, der);
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pub);
                jwk.setPrivateKey(priv);
                return name(jwk, algorithmOf(jwk));
            } catch (java.security.GeneralSecurityException | JoseException | ClassCastException ignored) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("not a PKCS#8 RSA, EC P-256 or Ed25519 private key");
    }

    private static PublicKey publicOf(PrivateKey priv, byte[] der) throws java.security.GeneralSecurityException {
        if (priv instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (priv instanceof ECPrivateKey ec) {
            ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
            var q = curve.getG().multiply(ec.getS()).normalize();
            ECPoint w = new ECPoint(
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
        }
        if (priv.getAlgorithm().equals("EdDSA") || priv.getAlgorithm().equals("Ed25519")) {
            byte[] raw = Arrays.copyOfRange(der, der.length - 32, der.length);
            byte[] pub =
                    new Ed25519PrivateKeyParameters(raw, 0).generatePublicKey().getEncoded();
            // X.509 SubjectPublicKeyInfo for Ed25519: fixed 12-byte prefix + 32-byte key
            byte[] spki = new byte[44];
            byte[] prefix = new BigInteger("302a300506032b6570032100", 16).toByteArray();
            System.arraycopy(prefix, 0, spki, 0, 12);
            System.arraycopy(pub, 0, spki, 12, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        }
        throw new java.security.InvalidKeyException("unsupported key " + priv.getAlgorithm());
    }

    static String privateJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
