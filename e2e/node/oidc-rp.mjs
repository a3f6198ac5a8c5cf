// A relying party that knows nothing of Latch but its issuer URL and its own client registration:
//   node oidc-rp.mjs <issuer> <port> <client-id> [<client-secret>]
// Discovers the issuer, then serves on http://127.0.0.1:<port>:
//   /login    the authorization code flow with PKCE (S256), state and nonce, scope openid profile email offline_access
//   /silent   the same with prompt=none
//   /callback openid-client's authorizationCodeGrant (state, nonce, PKCE, iss and the ID token against the JWKS),
//             then userinfo; shows {"ok":true,"claims":…,"userinfo":…,"tokens":…} or {"ok":false,"error":…} in <pre id="result">
//   /logout   to the end-session endpoint with id_token_hint and post_logout_redirect_uri http://127.0.0.1:<port>/
//   /         "logged out", or who is signed in
// Prints {"listening":<port>} on standard output once it listens; logs one line per request (paths only, never
// codes or tokens) on standard error. Without a secret it is a public client (PKCE only).
import * as client from 'openid-client';
import { randomBytes } from 'node:crypto';
import http from 'node:http';

const [issuer, portArg, clientId, clientSecret] = process.argv.slice(2);
const port = Number(portArg);
const base = `http://127.0.0.1:${port}`;
const redirectUri = `${base}/callback`;
const postLogoutRedirectUri = `${base}/`;
// cookies are not port-bound: Latch and every RP on 127.0.0.1 share the jar, so the name carries the port
const cookieName = `rp_${port}`;

// per browser: the pending authorization (verifier, state, nonce) and, once signed in, the ID token
const browsers = new Map();

const config = await client.discovery(
  new URL(issuer),
  clientId,
  clientSecret ? clientSecret : undefined,
  clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
  // http:// on loopback: the suite runs without TLS
  { execute: [client.allowInsecureRequests] },
);

function browserOf(req, res) {
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${cookieName}=`));
  let id = cookie?.substring(cookieName.length + 1);
  if (!id || !browsers.has(id)) {
    id = randomBytes(16).toString('base64url');
    browsers.set(id, {});
    res.setHeader('Set-Cookie', `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`);
  }
  return browsers.get(id);
}

function page(res, status, title, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
}

function escape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function result(res, status, value) {
  page(res, status, value.ok ? 'signed in' : 'refused', `<pre id="result">${escape(JSON.stringify(value, null, 2))}</pre>`);
}

async function authorize(browser, res, extra) {
  const codeVerifier = client.randomPKCECodeVerifier();
  browser.pending = { codeVerifier, state: client.randomState(), nonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: browser.pending.state,
    nonce: browser.pending.nonce,
    ...extra,
  });
  res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
  res.end();
}

async function callback(browser, req, res) {
  const pending = browser.pending;
  delete browser.pending;
  if (!pending) {
    return result(res, 400, { ok: false, error: 'no_pending_authorization' });
  }
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, new URL(req.url, base), {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    // an error answer of the authorization endpoint (login_required, access_denied) or a failed check
    return result(res, 400, {
      ok: false,
      name: e.name,
      code: e.code ?? null,
      error: e.error ?? null,
      error_description: e.error_description ?? null,
      message: e.message,
    });
  }
  const claims = tokens.claims();
  let userinfo;
  try {
    userinfo = { ok: true, value: await client.fetchUserInfo(config, tokens.access_token, claims.sub) };
  } catch (e) {
    userinfo = { ok: false, name: e.name, code: e.code ?? null, status: e.status ?? e.cause?.status ?? null, message: e.message };
  }
  browser.idToken = tokens.id_token;
  browser.sub = claims.sub;
  result(res, 200, {
    ok: true,
    // what openid-client checked: these match the request's
    checked: { state: pending.state, nonce: pending.nonce },
    claims,
    userinfo,
    tokens: {
      token_type: tokens.token_type,
      scope: tokens.scope ?? null,
      expires_in: tokens.expires_in ?? null,
      access_token: tokens.access_token,
      id_token: tokens.id_token,
      refresh_token: tokens.refresh_token ?? null,
    },
  });
}

function logout(browser, res) {
  const idToken = browser.idToken;
  delete browser.idToken;
  delete browser.sub;
  browser.loggedOut = true;
  if (!idToken) {
    return page(res, 400, 'not signed in', '<p id="message">not signed in</p>');
  }
  const url = client.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: postLogoutRedirectUri,
  });
  res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
  res.end();
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, base).pathname;
  console.error(`${new Date().toISOString()} ${req.method} ${path}`);
  const browser = browserOf(req, res);
  try {
    switch (path) {
      case '/login':
        return await authorize(browser, res, {});
      case '/silent':
        return await authorize(browser, res, { prompt: 'none' });
      case '/callback':
        return await callback(browser, req, res);
      case '/logout':
        return logout(browser, res);
      case '/':
        return browser.sub
          ? page(res, 200, 'signed in', `<p id="message">signed in as ${escape(browser.sub)}</p>`)
          : page(res, 200, browser.loggedOut ? 'logged out' : 'not signed in',
              `<p id="message">${browser.loggedOut ? 'logged out' : 'not signed in'}</p>`);
      default:
        return page(res, 404, 'not found', '');
    }
  } catch (e) {
    console.error(`${path}: ${e.name} ${e.message}`);
    if (!res.headersSent) {
      result(res, 500, { ok: false, name: e.name, message: e.message });
    }
  }
});
server.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ listening: port })));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)) && server.closeAllConnections());
}
