#!/usr/bin/env bash
# Runs Latch on this machine without Docker: the three services in JVM mode against the local
# PostgreSQL and Redis, storing attachments on local disk, plus a local OpenID Connect provider
# (mock-oauth2-server, login form) registered as provider "dev". Ctrl-C stops everything.
set -euo pipefail
# Started in the background by a non-interactive shell (`run-local.sh &` in a script or CI job), bash
# ignores SIGINT and cannot trap it, so Ctrl-C / SIGINT to the process group would stop nothing.
# Re-executing once with SIGINT and SIGTERM restored (same PID, same process group) fixes that.
if [ -z "${LATCH_RUN_LOCAL_SIGNALS:-}" ] && env --default-signal=INT true 2>/dev/null; then
  export LATCH_RUN_LOCAL_SIGNALS=1
  exec env --default-signal=INT,TERM bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
root=$(pwd)
run_dir="$root/deploy/.run"
mkdir -p "$run_dir"

services=(auth-service identity-provider-service storage-service)
ports=(8081 8082 8083)

deploy/local-services.sh

needs_build=false
for svc in "${services[@]}"; do
  jar="$svc/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$svc/src/main" common/src/main pom.xml "$svc/pom.xml" -newer "$jar" -type f -print -quit)" ]; then
    needs_build=true
  fi
done
if $needs_build; then
  echo "building (./mvnw package -DskipTests)…"
  MAVEN_ARGS="${MAVEN_ARGS:--B -q -ntp}" ./mvnw package -DskipTests
fi

export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-postgres}"
export QUARKUS_REDIS_HOSTS="${QUARKUS_REDIS_HOSTS:-redis://127.0.0.1:6379}"
# this machine only, unless LATCH_BIND says otherwise (e.g. LATCH_BIND=0.0.0.0 to reach it from the LAN)
export QUARKUS_HTTP_HOST="${LATCH_BIND:-127.0.0.1}"
export LATCH_STORAGE_DATA_DIR="${LATCH_STORAGE_DATA_DIR:-$run_dir/data}"

# Generated signing keys are stored encrypted; this local key-encryption key is made once and kept.
kek_file="$run_dir/signing-key-encryption.key"
if [ ! -s "$kek_file" ]; then
  head -c 32 /dev/urandom | base64 > "$kek_file"
  chmod 600 "$kek_file"
fi
export LATCH_AUTH_KEYS_ENCRYPTION_KEY="${LATCH_AUTH_KEYS_ENCRYPTION_KEY:-$(cat "$kek_file")}"

# storage-service: the HMAC key of its signed /file/… URLs, and the at-rest key (base64 of 32 random
# bytes) that encrypts an S3 secret stored through PUT /api/v1/storage/settings — without it that PUT
# answers 409. Both are made once (never readable by others, not even while being written) and kept,
# and reach the service through its environment only, never a command line.
url_key_file="$run_dir/storage-url-signing.key"
if [ ! -s "$url_key_file" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 > "$url_key_file")
fi
export LATCH_STORAGE_URL_SIGNING_KEY="${LATCH_STORAGE_URL_SIGNING_KEY:-$(cat "$url_key_file")}"
storage_key_file="$run_dir/storage-encryption.key"
if [ ! -s "$storage_key_file" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 > "$storage_key_file")
fi
export LATCH_STORAGE_ENCRYPTION_KEY="${LATCH_STORAGE_ENCRYPTION_KEY:-$(cat "$storage_key_file")}"

idp_key_file="$run_dir/provider-secret-encryption.key"
if [ ! -s "$idp_key_file" ]; then
  head -c 32 /dev/urandom | base64 > "$idp_key_file"
  chmod 600 "$idp_key_file"
fi
export LATCH_IDP_SECRETS_ENCRYPTION_KEY="${LATCH_IDP_SECRETS_ENCRYPTION_KEY:-$(cat "$idp_key_file")}"

# The local OIDC provider: resolved from Maven Central once, then started beside the services.
oidc_port="${LATCH_DEV_OIDC_PORT:-8090}"
oidc_cp_file="$run_dir/dev-oidc.classpath"
if [ ! -s "$oidc_cp_file" ]; then
  MAVEN_ARGS="${MAVEN_ARGS:--B -q -ntp}" ./mvnw -f deploy/mock-oidc/pom.xml dependency:build-classpath \
    -Dmdep.outputFile="$oidc_cp_file" >/dev/null
fi
idp_opts=(
  -Dlatch.idp.allow-insecure-provider-urls=true
  -Dlatch.idp.allow-private-provider-hosts=true
  -Dlatch.idp.providers.dev.kind=oidc
  -Dlatch.idp.providers.dev.title=Local\ OIDC\ provider
  -Dlatch.idp.providers.dev.issuer=http://localhost:$oidc_port/default
  -Dlatch.idp.providers.dev.client-id=latch-local
  -Dlatch.idp.providers.dev.client-secret=latch-local-secret
)

# The dev OAuth2 clients (README): latch-dev for /oauth2/token and /oauth2/introspect, latch-idp for the broker.
# The broker and storage-service have no built-in client secrets outside %dev/%test: they get them here.
export LATCH_IDP_CLIENT_SECRET="${LATCH_IDP_CLIENT_SECRET:-latch-idp-secret}"
export LATCH_JWT_INTROSPECTION_CLIENT_ID="${LATCH_JWT_INTROSPECTION_CLIENT_ID:-latch-dev}"
export LATCH_JWT_INTROSPECTION_CLIENT_SECRET="${LATCH_JWT_INTROSPECTION_CLIENT_SECRET:-latch-dev-secret}"
# A local run uses the documented development clients and a provider on localhost, which the
# production-readiness checks rightly refuse: they are switched off here, and only here.
export LATCH_PRODUCTION_READINESS_ENABLED="${LATCH_PRODUCTION_READINESS_ENABLED:-false}"
auth_opts=(
  -Dlatch.auth.clients.latch-dev.secret=latch-dev-secret
  -Dlatch.auth.clients.latch-dev.scopes=openid,tokens:introspect
  -Dlatch.auth.clients.latch-idp.secret=latch-idp-secret
  -Dlatch.auth.clients.latch-idp.scopes=sessions:issue
)

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping Latch…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  exit 0
}
trap stop_all INT TERM EXIT

SERVER_PORT="$oidc_port" JSON_CONFIG='{"interactiveLogin":true}' \
  java -cp "$(cat "$oidc_cp_file")" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt >"$run_dir/dev-oidc.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://localhost:$oidc_port/default/.well-known/openid-configuration" >/dev/null 2>&1 && break
  sleep 0.5
done

databases=(latch_auth latch_idp latch_storage)
for i in "${!services[@]}"; do
  svc=${services[$i]}
  opts=()
  [ "$svc" = auth-service ] && opts=("${auth_opts[@]}")
  [ "$svc" = identity-provider-service ] && opts=("${idp_opts[@]}")
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/${databases[$i]}" \
    java ${LATCH_JAVA_OPTS:-} "${opts[@]}" -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$run_dir/$svc.log" 2>&1 &
  pids+=($!)
done

echo "waiting for the services to be ready (logs in deploy/.run/)…"
for i in "${!services[@]}"; do
  svc=${services[$i]}; port=${ports[$i]}; pid=${pids[$((i + 1))]}
  ready=false
  for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1; then ready=true; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.5
  done
  if ! $ready; then
    echo "$svc did not become ready; last lines of deploy/.run/$svc.log:" >&2
    tail -n 30 "$run_dir/$svc.log" >&2
    exit 1
  fi
  printf '  %-27s http://localhost:%s   (ready: /q/health/ready)\n' "$svc" "$port"
done
printf '  %-27s http://localhost:%s/default   (users: any name, login form)\n' "local OIDC provider" "$oidc_port"
echo
echo "Sign in through the local provider: http://localhost:8082/v1/auth/oauth/dev/start?redirect_to=/"
echo "Try the API: deploy/demo.sh"
echo "Latch is running. Ctrl-C stops everything."
wait
