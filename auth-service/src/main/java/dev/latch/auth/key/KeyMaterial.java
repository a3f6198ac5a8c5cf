package dev.latch.auth.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
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
        PublicJsonWebKey jwk;
        try {
            AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
            KeyFactory factory = KeyFactory.getInstance(jcaAlgorithm(priv));
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicOf(priv));
            jwk = PublicJsonWebKey.Factory.newPublicJwk(
                    factory.generatePublic(new X509EncodedKeySpec(spki.getEncoded())));
            jwk.setPrivateKey(factory.generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException | GeneralSecurityException | JoseException | RuntimeException e) {
            // BouncyCastle reports malformed DER and unknown algorithms as runtime exceptions
            throw new IllegalArgumentException("not a PKCS#8 RSA, EC P-256 or Ed25519 private key");
        }
        return name(jwk, algorithmOf(jwk));
    }

    private static String jcaAlgorithm(AsymmetricKeyParameter priv) throws InvalidKeyException {
        if (priv instanceof RSAKeyParameters) {
            return "RSA";
        }
        if (priv instanceof ECPrivateKeyParameters) {
            return "EC";
        }
        if (priv instanceof Ed25519PrivateKeyParameters) {
            return "Ed25519";
        }
        throw new InvalidKeyException("unsupported key " + priv.getClass().getSimpleName());
    }

    /** A PKCS#8 key need not carry its public half; it follows from the private one. */
    private static AsymmetricKeyParameter publicOf(AsymmetricKeyParameter priv) throws InvalidKeyException {
        if (priv instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (priv instanceof ECPrivateKeyParameters ec) {
            ECDomainParameters curve = ec.getParameters();
            return new ECPublicKeyParameters(new FixedPointCombMultiplier().multiply(curve.getG(), ec.getD()), curve);
        }
        if (priv instanceof Ed25519PrivateKeyParameters ed) {
            return ed.generatePublicKey();
        }
        throw new InvalidKeyException("unsupported key " + priv.getClass().getSimpleName());
    }

    /** The public half alone, named like the key it came from. */
    static PublicJsonWebKey publicOnly(PublicJsonWebKey jwk) {
        try {
            PublicJsonWebKey pub =
                    PublicJsonWebKey.Factory.newPublicJwk(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            pub.setKeyId(jwk.getKeyId());
            pub.setUse("sig");
            pub.setAlgorithm(jwk.getAlgorithm());
            return pub;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String privateJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
