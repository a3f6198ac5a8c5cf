// Verifies a Latch ID token with jose alone, knowing only the JWKS URL (no discovery, no openid-client):
//   node verify-id-token.mjs <jwks-url> <issuer> <client-id> <id-token> <access-token>
// Prints {"ok":true,"header":…,"payload":…,"atHash":…,"otherAudience":…}: atHash is the access token's hash as
// OpenID Connect Core 3.1.3.6 defines it (the left half of the hash of its ASCII octets with the hash function of the
// ID token's alg, base64url), to compare with the at_hash claim; otherAudience is jose's answer when the same token
// is verified for another client (it must refuse). Or {"ok":false,"code":…,"message":…}.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, issuer, clientId, idToken, accessToken] = process.argv.slice(2);
const jwks = createRemoteJWKSet(new URL(jwksUrl));
const hashOf = { RS256: 'sha256', PS256: 'sha256', ES256: 'sha256', RS384: 'sha384', ES384: 'sha384', RS512: 'sha512', ES512: 'sha512', EdDSA: 'sha512' };

async function verify(audience) {
  try {
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
      issuer,
      audience,
      algorithms: Object.keys(hashOf),
      requiredClaims: ['sub', 'iat', 'exp'],
    });
    return { ok: true, header: protectedHeader, payload };
  } catch (e) {
    return { ok: false, code: e.code ?? e.name, message: e.message };
  }
}

const verified = await verify(clientId);
if (verified.ok) {
  const digest = createHash(hashOf[verified.header.alg]).update(accessToken, 'ascii').digest();
  verified.atHash = digest.subarray(0, digest.length / 2).toString('base64url');
  const other = await verify(`${clientId}-other`);
  verified.otherAudience = { ok: other.ok, code: other.code ?? null };
}
console.log(JSON.stringify(verified));
