#!/usr/bin/env bash
# Walks through Latch against a running stack (deploy/run-local.sh or compose): sign up, sign in,
# refresh, create a PAT, upload a file with it to local disk and fetch it through its signed URL, log in at
# the OpenID Provider's login page and run the code flow of the dev client latch-dev-web; then,
# as the local ADMIN, find the user and store the next upload in S3 (S3Proxy in the local run).
# Prints each step and its result; exits non-zero at the first step that fails.
#
# The ADMIN: LATCH_ADMIN_USERNAME / LATCH_ADMIN_PASSWORD, else the local run's (deploy/.run/admin-password).
set -euo pipefail

AUTH="${LATCH_AUTH_URL:-http://localhost:8081}"
STORAGE="${LATCH_STORAGE_URL:-http://localhost:8083}"
admin_user="${LATCH_ADMIN_USERNAME:-${LATCH_LOCAL_ADMIN:-admin}}"
admin_password="${LATCH_ADMIN_PASSWORD:-}"
admin_file="${LATCH_RUN_DIR:-$(dirname "$0")/.run}/admin-password"
if [ -z "$admin_password" ] && [ -r "$admin_file" ]; then
  admin_password=$(cat "$admin_file")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$work/cookies"
user="demo-$(date +%s)-$RANDOM"
password="demo password $RANDOM"

json() { # json FILE EXPRESSION — reads one field with Python (no jq needed)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"
}

step() { printf '\n== %s\n' "$1"; }

call() { # call EXPECTED_STATUS OUTFILE curl-args… — runs curl, checks the status, shows the body
  local expected=$1 out=$2; shift 2
  local status
  status=$(curl -sS -o "$out" -w '%{http_code}' "$@")
  if [ "$status" != "$expected" ]; then
    echo "   expected HTTP $expected, got $status:"; cat "$out"; echo
    exit 1
  fi
  echo "   HTTP $status"
}

step "1. sign up $user at $AUTH/v1/auth/signup"
call 201 "$work/signup.json" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$AUTH/v1/auth/signup"
echo "   user id $(json "$work/signup.json" 'd["id"]'), role $(json "$work/signup.json" 'd["role"]')"

step "2. sign in"
call 200 "$work/signin.json" -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$AUTH/v1/auth/signin"
access=$(json "$work/signin.json" 'd["accessToken"]')
echo "   access token ${access:0:24}… expires in $(json "$work/signin.json" 'd["expiresIn"]') s; refresh cookie stored"

step "3. refresh with the latch_refresh cookie (rotated)"
# the cookie is Secure; curl sends it over http://localhost only when told which cookie to send
refresh=$(awk '$6 == "latch_refresh" {print $7}' "$jar")
call 200 "$work/refresh.json" -c "$jar" -X POST -H "Cookie: latch_refresh=$refresh" "$AUTH/v1/auth/refresh"
access=$(json "$work/refresh.json" 'd["accessToken"]')
echo "   new access token ${access:0:24}…"

step "4. who am I (access token)"
call 200 "$work/me.json" -H "Authorization: Bearer $access" "$AUTH/v1/users/me"
echo "   $(json "$work/me.json" 'd["username"]')"

step "5. create a personal access token (scope attachments:write: it can upload, nothing else)"
call 201 "$work/pat.json" -H "Authorization: Bearer $access" -H 'Content-Type: application/json' \
  -d '{"name":"demo","scopes":["attachments:write"],"expiresInDays":1}' "$AUTH/v1/users/me/tokens"
pat=$(json "$work/pat.json" 'd["token"]')
echo "   ${pat:0:14}… (shown once; stored hashed)"

step "6. upload a file to storage-service with the PAT"
printf 'Hello from the Latch demo, %s\n' "$user" > "$work/hello.txt"
call 201 "$work/upload.json" -H "Authorization: Bearer $pat" -F "file=@$work/hello.txt;type=text/plain" \
  "$STORAGE/api/v1/attachments"
url=$(json "$work/upload.json" 'd["url"]')
echo "   uid $(json "$work/upload.json" 'd["uid"]'), $(json "$work/upload.json" 'd["size"]') bytes, sha256 $(json "$work/upload.json" 'd["sha256"]' | cut -c1-16)…"
echo "   signed URL $url"

step "7. fetch the file through its signed URL (no token)"
case "$url" in http*) full="$url" ;; *) full="$STORAGE$url" ;; esac
call 200 "$work/download.txt" -L "$full"
if cmp -s "$work/hello.txt" "$work/download.txt"; then
  echo "   content matches: $(cat "$work/download.txt")"
else
  echo "   content differs"; exit 1
fi

step "8. OpenID Provider: the code flow of client latch-dev-web with PKCE, step by step"
verifier=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
challenge=$(python3 -c 'import base64,hashlib,sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).rstrip(b"=").decode())' "$verifier")
state="demo-$RANDOM"
redirect_uri="http://localhost:8095/callback"
authorize="$AUTH/oauth2/authorize?response_type=code&client_id=latch-dev-web&scope=openid%20profile%20offline_access&state=$state&nonce=n-$RANDOM&code_challenge=$challenge&code_challenge_method=S256&redirect_uri=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=""))' "$redirect_uri")"
echo "   GET /oauth2/authorize (no session yet)"
location=$(curl -sS -o /dev/null -w '%{redirect_url}' "$authorize")
echo "   → $location"
case "$location" in *"/login?request="*) ;; *) echo "   expected the login page"; exit 1 ;; esac
call 200 "$work/login.html" -c "$jar" "$location"
csrf=$(python3 -c 'import re,sys; print(re.search(r"name=\"csrf\" value=\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$work/login.html")
request_id=${location##*request=}
csrf_cookie=$(awk '$6 == "latch_csrf" {print $7}' "$jar")
echo "   the login page: a form with a CSRF token; POST /login as $user"
location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -H "Cookie: latch_csrf=$csrf_cookie" \
  --data-urlencode "username=$user" --data-urlencode "password=$password" --data-urlencode "csrf=$csrf" \
  --data-urlencode "request=$request_id" "$AUTH/login")
echo "   → ${location%%code=*}code=…"
code=$(python3 -c 'import urllib.parse,sys; q=urllib.parse.parse_qs(urllib.parse.urlparse(sys.argv[1]).query); assert q["state"][0]==sys.argv[2] and q.get("iss"); print(q["code"][0])' "$location" "$state")
echo "   a code for $redirect_uri, with state and iss; the browser now holds latch_session"
echo "   POST /oauth2/token grant_type=authorization_code with the code verifier"
call 200 "$work/code.json" -u latch-dev-web:latch-dev-web-secret -d grant_type=authorization_code \
  --data-urlencode "code=$code" --data-urlencode "redirect_uri=$redirect_uri" --data-urlencode "code_verifier=$verifier" \
  "$AUTH/oauth2/token"
id_token=$(json "$work/code.json" 'd["id_token"]')
echo "   access_token, refresh_token (offline_access) and an ID token for $(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; c=json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))); print(c["preferred_username"], "(aud", c["aud"] + ", amr", c["amr"][0] + ")")' "$id_token")"

if [ -z "$admin_password" ]; then
  printf '\nAll user steps passed. The ADMIN steps need LATCH_ADMIN_USERNAME and LATCH_ADMIN_PASSWORD.\n'
  exit 0
fi

body() { python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }

step "9. sign in as the ADMIN: user '$admin_user', password '$admin_password'"
call 200 "$work/admin.json" -H 'Content-Type: application/json' \
  -d "$(body username "$admin_user" password "$admin_password")" "$AUTH/v1/auth/signin"
admin=$(json "$work/admin.json" 'd["accessToken"]')
echo "   role $(json "$work/admin.json" 'd["user"]["role"]')"

step "10. the ADMIN finds $user (GET /v1/users?username=…)"
call 200 "$work/users.json" -H "Authorization: Bearer $admin" "$AUTH/v1/users?username=$user"
echo "   $(json "$work/users.json" 'd["items"][0]["username"]'): role $(json "$work/users.json" 'd["items"][0]["role"]'), status $(json "$work/users.json" 'd["items"][0]["status"]')"

step "11. the storage settings (GET /api/v1/storage/settings)"
call 200 "$work/settings.json" -H "Authorization: Bearer $admin" "$STORAGE/api/v1/storage/settings"
echo "   default backend $(json "$work/settings.json" 'd["defaultBackend"]'), S3 bucket $(json "$work/settings.json" 'd["s3"]["bucket"]')"
echo "   pinned by the deployment: $(json "$work/settings.json" '", ".join(sorted(d["pinned"])) or "nothing"')"
if [ "$(json "$work/settings.json" 'd["s3"]["bucket"] or ""')" = "" ]; then
  printf '\nAll steps passed (no S3 bucket configured: the S3 steps are skipped).\n'
  exit 0
fi
backend_before=$(json "$work/settings.json" 'd["defaultBackend"]')

step "12. new attachments go to S3 (PUT /api/v1/storage/settings)"
call 200 "$work/settings2.json" -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"defaultBackend":"S3"}' "$STORAGE/api/v1/storage/settings"
restore_backend() {
  curl -sS -o /dev/null -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"defaultBackend\":\"$backend_before\"}" "$STORAGE/api/v1/storage/settings" || true
}
trap 'restore_backend; rm -rf "$work"' EXIT
echo "   default backend $(json "$work/settings2.json" 'd["defaultBackend"]')"

step "13. upload again with the PAT: stored in S3"
call 201 "$work/upload2.json" -H "Authorization: Bearer $pat" -F "file=@$work/hello.txt;type=text/plain" \
  "$STORAGE/api/v1/attachments"
echo "   uid $(json "$work/upload2.json" 'd["uid"]'), backend $(json "$work/upload2.json" 'd["storageType"]')"
url=$(json "$work/upload2.json" 'd["url"]')
case "$url" in http*) full="$url" ;; *) full="$STORAGE$url" ;; esac

step "14. fetch it through its signed URL (a redirect to a presigned S3 URL)"
call 200 "$work/download2.txt" -L "$full"
if cmp -s "$work/hello.txt" "$work/download2.txt"; then
  echo "   content matches: $(cat "$work/download2.txt")"
else
  echo "   content differs"; exit 1
fi

step "15. new attachments go to $backend_before again"
restore_backend
echo "   done"

printf '\nAll steps passed.\n'
