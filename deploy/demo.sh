#!/usr/bin/env bash
# Walks through Latch against a running stack (deploy/run-local.sh or compose): sign up, sign in,
# refresh, create a PAT, upload a file with it, and fetch the file through its signed URL.
# Prints each step and its result; exits non-zero at the first step that fails.
set -euo pipefail

AUTH="${LATCH_AUTH_URL:-http://localhost:8081}"
STORAGE="${LATCH_STORAGE_URL:-http://localhost:8083}"
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

printf '\nAll steps passed.\n'
