package dev.latch.auth.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.junit.jupiter.api.Test;

/** PKCS#8 PEMs: the public half derived from the private one is the key pair's. */
class KeyMaterialTest {

    @Test
    void rsaEcAndEd25519PemsYieldTheirPublicKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertDerived(rsa.generateKeyPair(), "RS256");
        assertDerived(ec.generateKeyPair(), "ES256");
        assertDerived(ed.generateKeyPair(), "EdDSA");
    }

    @Test
    void anEd25519PemThatCarriesItsPublicKeyYieldsTheRightOne() throws Exception {
        // OneAsymmetricKey (PKCS#8 v2, RFC 8410) appends the public key after the private one
        Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(new SecureRandom());
        ASN1ObjectIdentifier idEd25519 = new ASN1ObjectIdentifier("1.3.101.112");
        PrivateKeyInfo v2 = new PrivateKeyInfo(
                new AlgorithmIdentifier(idEd25519),
                new DEROctetString(priv.getEncoded()),
                null,
                priv.generatePublicKey().getEncoded());
        PublicJsonWebKey jwk = KeyMaterial.fromPem(pem(v2.getEncoded()));
        assertArrayEquals(
                SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(priv.generatePublicKey())
                        .getEncoded(),
                jwk.getPublicKey().getEncoded());
    }

    @Test
    void otherCurvesAndOtherTextAreRefusedSayingWhy() throws Exception {
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        IllegalArgumentException curve = assertThrows(
                IllegalArgumentException.class,
                () -> KeyMaterial.fromPem(
                        pem(p384.generateKeyPair().getPrivate().getEncoded())));
        assertEquals("EC signing keys must be on P-256 (ES256)", curve.getMessage());

        IllegalArgumentException garbage =
                assertThrows(IllegalArgumentException.class, () -> KeyMaterial.fromPem(pem("not a key".getBytes())));
        assertEquals("not a PKCS#8 RSA, EC P-256 or Ed25519 private key", garbage.getMessage());

        IllegalArgumentException traditional = assertThrows(
                IllegalArgumentException.class,
                () -> KeyMaterial.fromPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assertEquals("convert the key to PKCS#8: openssl pkcs8 -topk8 -nocrypt", traditional.getMessage());
    }

    private static void assertDerived(KeyPair pair, String algorithm) {
        PublicJsonWebKey jwk = KeyMaterial.fromPem(pem(pair.getPrivate().getEncoded()));
        assertArrayEquals(pair.getPublic().getEncoded(), jwk.getPublicKey().getEncoded(), algorithm);
        assertEquals(algorithm, jwk.getAlgorithm());
        assertEquals(jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256), jwk.getKeyId());
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
