// A client that knows nothing of Latch but its issuer URL and its own credentials:
//   node oidc-client.mjs <issuer> <client-id> <client-secret> <token-to-introspect>
// Discovers the issuer, runs the client_credentials grant, introspects the given token, and prints
// {"issuer":…,"grant":{…},"introspection":{…},"ownTokenIntrospection":{…}}; any failure exits 1 with the error.
import * as client from 'openid-client';

const [issuer, clientId, clientSecret, token] = process.argv.slice(2);
try {
  // http:// on loopback: the suite runs without TLS
  const config = await client.discovery(new URL(issuer), clientId, clientSecret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const grant = await client.clientCredentialsGrant(config, { scope: 'tokens:introspect' });
  const introspection = await client.tokenIntrospection(config, token);
  const ownTokenIntrospection = await client.tokenIntrospection(config, grant.access_token, {
    token_type_hint: 'access_token',
  });
  console.log(JSON.stringify({
    issuer: config.serverMetadata().issuer,
    grant: { token_type: grant.token_type, expires_in: grant.expires_in, scope: grant.scope, access_token: grant.access_token },
    introspection,
    ownTokenIntrospection,
  }));
} catch (e) {
  console.error(`${e.name}: ${e.code ?? ''} ${e.message} ${e.cause ? JSON.stringify(e.cause) : ''}`);
  process.exit(1);
}
