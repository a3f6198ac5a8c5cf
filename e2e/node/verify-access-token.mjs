// Verifies a Latch access token the way any third-party service would, knowing only the JWKS URL:
//   node verify-access-token.mjs <jwks-url> <issuer> <audience> <token>
// Prints {"ok":true,"header":…,"payload":…} or {"ok":false,"code":…,"message":…}.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, issuer, audience, token] = process.argv.slice(2);
const jwks = createRemoteJWKSet(new URL(jwksUrl));
try {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer,
    audience,
    typ: 'at+jwt',
    algorithms: ['RS256', 'ES256', 'EdDSA'],
  });
  console.log(JSON.stringify({ ok: true, header: protectedHeader, payload }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.code ?? e.name, message: e.message }));
}
