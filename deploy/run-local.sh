#!/usr/bin/env bash
# Runs Latch on this machine without Docker: the three services in JVM mode against the local
# PostgreSQL and Redis, storing attachments on local disk (or in a local S3-compatible server,
# S3Proxy), plus a local OpenID Connect provider (mock-oauth2-server, login form) registered as
# provider "dev". Ctrl-C stops everything.
#
#   deploy/run-local.sh            build if needed, start, wait, report; Ctrl-C stops
#   deploy/run-local.sh --reset    drop the local databases and deploy/.run (keys, files, logs), asking first
#
# Environment: LATCH_BIND (default 127.0.0.1), LATCH_LOCAL_S3=false (no S3Proxy), LATCH_JAVA_OPTS (default
# -Xmx256m: the heap cap of the images and the chart),
# LATCH_LOCAL_ADMIN (admin); for a second run beside this one (the build's own check of this script):
# LATCH_PORT_OFFSET (added to every port: 8081-8084, 8090), LATCH_DATABASE_SUFFIX, LATCH_RUN_DIR,
# LATCH_REDIS_DB (the local run's own Redis database, default 1: the tests use 0).
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
run_dir="${LATCH_RUN_DIR:-$root/deploy/.run}"
offset="${LATCH_PORT_OFFSET:-0}"
suffix="${LATCH_DATABASE_SUFFIX:-}"

services=(auth-service identity-provider-service storage-service)
ports=($((8081 + offset)) $((8082 + offset)) $((8083 + offset)))
databases=("latch_auth$suffix" "latch_idp$suffix" "latch_storage$suffix")
auth_url="http://localhost:${ports[0]}"
broker_port=${ports[1]}
run_rel=${run_dir#"$root"/}
redis_db="${LATCH_REDIS_DB:-1}"

# --- prerequisites: name the missing tool instead of failing later with a misleading message
missing=()
for tool in java curl python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing on this machine: ${missing[*]} (see the README's prerequisites: JDK 17+, curl, python3," >&2
  echo "PostgreSQL client tools psql/pg_isready, redis-cli)" >&2
  exit 1
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "Latch needs Java 17 or newer; 'java' here is version ${java_major:-unknown} ($(command -v java))" >&2
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${1:-}" = "--reset" ]; then
  for port in "${ports[@]}"; do
    if port_in_use "$port"; then
      echo "something listens on port $port: stop the running Latch (Ctrl-C in its terminal) before a reset" >&2
      exit 1
    fi
  done
  echo "This drops the local databases ${databases[*]} (every user, signing key, provider and"
  echo "attachment of the local run), empties its Redis database $redis_db and deletes $run_rel"
  echo "(generated keys, local files, logs)."
  if [ "${2:-}" != "--yes" ]; then
    read -r -p "Type 'reset' to go on: " answer
    [ "$answer" = "reset" ] || { echo "nothing changed"; exit 1; }
  fi
  deploy/local-services.sh --no-create >/dev/null
  for db in "${databases[@]}"; do
    psql -h "${LATCH_PG_HOST:-127.0.0.1}" -p "${LATCH_PG_PORT:-5432}" -U "${LATCH_PG_USER:-postgres}" -d postgres -qc \
      "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    echo "  dropped database $db"
  done
  if [ -z "${QUARKUS_REDIS_HOSTS:-}" ]; then
    redis-cli -h 127.0.0.1 -p "${LATCH_REDIS_PORT:-6379}" -n "$redis_db" FLUSHDB >/dev/null
    echo "  emptied Redis database $redis_db (rate-limit counters, login states)"
  fi
  rm -rf "$run_dir"
  echo "  deleted $run_rel"
  echo "Done. deploy/run-local.sh starts afresh (new keys, new local ADMIN)."
  exit 0
elif [ $# -gt 0 ]; then
  echo "usage: deploy/run-local.sh [--reset [--yes]]" >&2
  exit 2
fi

mkdir -p "$run_dir"
LATCH_DATABASE_SUFFIX="$suffix" deploy/local-services.sh

needs_build=false
for svc in "${services[@]}"; do
  jar="$svc/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$svc/src/main" common/src/main pom.xml "$svc/pom.xml" -newer "$jar" -type f -print -quit)" ]; then
    needs_build=true
  fi
done
if $needs_build; then
  echo "building the three services (./mvnw package -DskipTests; full output in $run_rel/build.log)…"
  ./mvnw -B -ntp package -DskipTests -pl auth-service,identity-provider-service,storage-service -am \
    >"$run_dir/build.log" 2>&1 </dev/null &
  build_pid=$!
  # progress: one line per module as Maven reaches it
  tail -n +1 -f --pid="$build_pid" "$run_dir/build.log" 2>/dev/null \
    | grep --line-buffered -E '^\[INFO\] Building Latch|BUILD (SUCCESS|FAILURE)|^\[ERROR\]' \
    | sed -u -e 's/^\[INFO\] Building /  building /' -e 's/ *\[[0-9]*\/[0-9]*\]$//' &
  progress_pid=$!
  if ! wait "$build_pid"; then
    wait "$progress_pid" 2>/dev/null || true
    echo "the build failed; see $run_rel/build.log" >&2
    exit 1
  fi
  wait "$progress_pid" 2>/dev/null || true
fi

# Logs of the previous five starts are kept as <name>.log.1 … .5
rotate() {
  local log="$run_dir/$1.log"
  for i in 4 3 2 1; do
    [ -f "$log.$i" ] && mv -f "$log.$i" "$log.$((i + 1))"
  done
  [ -f "$log" ] && mv -f "$log" "$log.1"
  return 0
}

secret_file() { # secret_file NAME COMMAND… — a file only this user can read, made once and kept
  local file="$run_dir/$1"; shift
  if [ ! -s "$file" ]; then
    (umask 077 && "$@" > "$file")
  fi
  chmod 600 "$file"
}
random_key() { head -c 32 /dev/urandom | base64; }
random_password() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }

export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-postgres}"
# a Redis database of its own, so counters of test runs on this machine (same client address) never count here
export QUARKUS_REDIS_HOSTS="${QUARKUS_REDIS_HOSTS:-redis://127.0.0.1:6379/$redis_db}"
# this machine only, unless LATCH_BIND says otherwise (e.g. LATCH_BIND=0.0.0.0 to reach it from the LAN)
export QUARKUS_HTTP_HOST="${LATCH_BIND:-127.0.0.1}"
export LATCH_STORAGE_DATA_DIR="${LATCH_STORAGE_DATA_DIR:-$run_dir/data}"

# Every key and secret of the local run is generated once per checkout under deploy/.run (mode 600) and
# reaches the services through their environment or a config file, never a command line (ps shows those).
secret_file signing-key-encryption.key random_key
secret_file storage-url-signing.key random_key
secret_file storage-encryption.key random_key
secret_file provider-secret-encryption.key random_key
secret_file admin-password random_password
export LATCH_AUTH_KEYS_ENCRYPTION_KEY="${LATCH_AUTH_KEYS_ENCRYPTION_KEY:-$(cat "$run_dir/signing-key-encryption.key")}"
# storage-service: the HMAC key of its signed /file/… URLs, and the at-rest key that encrypts an S3 secret
# stored through PUT /api/v1/storage/settings
export LATCH_STORAGE_URL_SIGNING_KEY="${LATCH_STORAGE_URL_SIGNING_KEY:-$(cat "$run_dir/storage-url-signing.key")}"
export LATCH_STORAGE_ENCRYPTION_KEY="${LATCH_STORAGE_ENCRYPTION_KEY:-$(cat "$run_dir/storage-encryption.key")}"
export LATCH_IDP_SECRETS_ENCRYPTION_KEY="${LATCH_IDP_SECRETS_ENCRYPTION_KEY:-$(cat "$run_dir/provider-secret-encryption.key")}"
# the first ADMIN of the local run, created at start while no ADMIN exists (deploy/demo.sh signs in with it)
admin_user="${LATCH_LOCAL_ADMIN:-admin}"
export LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME="$admin_user"
export LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD
LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$run_dir/admin-password")

# The dev OAuth2 clients (README): latch-dev for /oauth2/token and /oauth2/introspect, latch-idp for the broker.
export LATCH_IDP_CLIENT_SECRET="${LATCH_IDP_CLIENT_SECRET:-latch-idp-secret}"
export LATCH_JWT_INTROSPECTION_CLIENT_ID="${LATCH_JWT_INTROSPECTION_CLIENT_ID:-latch-dev}"
export LATCH_JWT_INTROSPECTION_CLIENT_SECRET="${LATCH_JWT_INTROSPECTION_CLIENT_SECRET:-latch-dev-secret}"
# A local run uses the documented development clients and a provider on localhost, which the
# production-readiness checks rightly refuse: they are switched off here, and only here.
export LATCH_PRODUCTION_READINESS_ENABLED="${LATCH_PRODUCTION_READINESS_ENABLED:-false}"
# The broker's landing page (port 8082) calls auth-service (port 8081) from the browser: a different origin
# here, one origin behind the Ingress in production (where both stay unset).
export LATCH_CORS_ORIGINS="${LATCH_CORS_ORIGINS:-http://localhost:$broker_port,http://127.0.0.1:$broker_port}"
# no load balancer in front of a local run: Ctrl-C stops at once, without the 5 s of not-ready a cluster needs
export QUARKUS_SHUTDOWN_DELAY="${QUARKUS_SHUTDOWN_DELAY:-0S}"
export LATCH_AUTH_SERVICE_PUBLIC_URL="${LATCH_AUTH_SERVICE_PUBLIC_URL:-$auth_url}"
# the other services call auth-service (JWKS, introspection, federated sessions) and build their URLs
export LATCH_AUTH_SERVICE_URL="$auth_url" LATCH_JWT_ISSUER="$auth_url"

oidc_port=$((8090 + offset))
(umask 077 && cat > "$run_dir/auth-service.properties" <<EOF
# generated by deploy/run-local.sh: the dev OAuth2 clients of the local run
latch.auth.clients.latch-dev.secret=latch-dev-secret
latch.auth.clients.latch-dev.scopes=openid,tokens:introspect
latch.auth.clients.latch-idp.secret=${LATCH_IDP_CLIENT_SECRET}
latch.auth.clients.latch-idp.scopes=sessions:issue
# the OpenID Provider's dev clients (README "Use Latch as your OpenID Provider")
latch.auth.clients.latch-dev-web.name=Latch dev web app
latch.auth.clients.latch-dev-web.secret=latch-dev-web-secret
latch.auth.clients.latch-dev-web.first-party=true
latch.auth.clients.latch-dev-web.redirect-uris=http://localhost:8095/callback,http://127.0.0.1:8095/callback
latch.auth.clients.latch-dev-web.post-logout-redirect-uris=http://localhost:8095/
latch.auth.clients.latch-dev-web.grant-types=authorization_code,refresh_token
latch.auth.clients.latch-dev-web.scopes=openid,profile,email,offline_access
latch.auth.clients.latch-dev-spa.name=Latch dev single-page app
latch.auth.clients.latch-dev-spa.type=public
latch.auth.clients.latch-dev-spa.redirect-uris=http://localhost:8095/callback,http://127.0.0.1:8095/callback
latch.auth.clients.latch-dev-spa.post-logout-redirect-uris=http://localhost:8095/
latch.auth.clients.latch-dev-spa.grant-types=authorization_code,refresh_token
latch.auth.clients.latch-dev-spa.scopes=openid,profile,email,offline_access
latch.auth.clients.latch-dev-cli.name=Latch dev CLI
latch.auth.clients.latch-dev-cli.type=public
latch.auth.clients.latch-dev-cli.grant-types=urn:ietf:params:oauth:grant-type:device_code,refresh_token
latch.auth.clients.latch-dev-cli.scopes=openid,profile,offline_access
# the login page's identity-provider buttons: the broker of this run
latch.auth.authorization.broker-url=http://localhost:${broker_port}
EOF
)
(umask 077 && cat > "$run_dir/identity-provider-service.properties" <<EOF
# generated by deploy/run-local.sh: the local OIDC provider "dev" on localhost
latch.idp.allow-insecure-provider-urls=true
latch.idp.allow-private-provider-hosts=true
# auth-service's login page is another origin here: its buttons come back to ${auth_url}/v1/auth/federated/continue
latch.idp.redirect-origins=${auth_url}
latch.idp.providers.dev.kind=oidc
latch.idp.providers.dev.title=Local OIDC provider
latch.idp.providers.dev.issuer=http://localhost:${oidc_port}/default
latch.idp.providers.dev.client-id=latch-local
latch.idp.providers.dev.client-secret=latch-local-secret
EOF
)

# The local S3-compatible server (S3Proxy, signatures checked, files under deploy/.run/s3): its
# connection pins storage-service's S3 settings; the default backend stays LOCAL until an ADMIN
# switches it (deploy/demo.sh does).
s3_port=$((8084 + offset))
local_s3="${LATCH_LOCAL_S3:-true}"
if [ "$local_s3" = true ]; then
  secret_file s3-secret.key random_password
  mkdir -p "$run_dir/s3/latch"
  (umask 077 && cat > "$run_dir/s3proxy.properties" <<EOF
# generated by deploy/run-local.sh
s3proxy.endpoint=http://127.0.0.1:${s3_port}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=latch-local
s3proxy.credential=$(cat "$run_dir/s3-secret.key")
jclouds.provider=filesystem
jclouds.filesystem.basedir=$run_dir/s3
EOF
  )
  export LATCH_STORAGE_S3_ENDPOINT="http://127.0.0.1:$s3_port" LATCH_STORAGE_S3_REGION=us-east-1 \
    LATCH_STORAGE_S3_BUCKET=latch LATCH_STORAGE_S3_PATH_STYLE=true LATCH_STORAGE_S3_ACCESS_KEY_ID=latch-local
  export LATCH_STORAGE_S3_SECRET_ACCESS_KEY
  LATCH_STORAGE_S3_SECRET_ACCESS_KEY=$(cat "$run_dir/s3-secret.key")
fi

# The local OIDC provider and S3Proxy: resolved from Maven Central once, then started beside the services.
classpath() { # classpath NAME POM
  local file="$run_dir/$1.classpath"
  if [ ! -s "$file" ]; then
    MAVEN_ARGS="${MAVEN_ARGS:--B -q -ntp}" ./mvnw -f "$2" dependency:build-classpath -Dmdep.outputFile="$file" >/dev/null
  fi
  cat "$file"
}

pids=()
names=()
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

start() { # start NAME COMMAND… — in the background, output to $run_dir/NAME.log
  local name=$1; shift
  rotate "$name"
  "$@" >"$run_dir/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

wait_for() { # wait_for NAME URL SECONDS — until URL answers 2xx or the process of NAME has ended
  local name=$1 url=$2 seconds=$3 i pid=""
  for i in "${!names[@]}"; do [ "${names[$i]}" = "$name" ] && pid=${pids[$i]}; done
  for _ in $(seq 1 $((seconds * 2))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "$name did not start; last lines of $run_rel/$name.log:" >&2
  tail -n 30 "$run_dir/$name.log" >&2
  return 1
}

oidc_cp=$(classpath dev-oidc deploy/mock-oidc/pom.xml)
start dev-oidc env SERVER_PORT="$oidc_port" JSON_CONFIG='{"interactiveLogin":true}' \
  java -cp "$oidc_cp" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt
if [ "$local_s3" = true ]; then
  s3_cp=$(classpath s3proxy deploy/s3proxy/pom.xml)
  start s3proxy java -cp "$s3_cp" org.gaul.s3proxy.Main --properties "$run_dir/s3proxy.properties"
fi
wait_for dev-oidc "http://localhost:$oidc_port/default/.well-known/openid-configuration" 30
if [ "$local_s3" = true ]; then
  # any answer means it listens (unsigned requests are refused)
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.5; done
fi

for i in "${!services[@]}"; do
  svc=${services[$i]}
  config_env=()
  [ -f "$run_dir/$svc.properties" ] && config_env=(QUARKUS_CONFIG_LOCATIONS="$run_dir/$svc.properties")
  # shellcheck disable=SC2086
  start "$svc" env "${config_env[@]}" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/${databases[$i]}" \
    QUARKUS_HTTP_PORT="${ports[$i]}" LATCH_PUBLIC_BASE_URL="http://localhost:${ports[$i]}" \
    java ${LATCH_JAVA_OPTS:--Xmx256m} -jar "$svc/target/quarkus-app/quarkus-run.jar"
done

# Up means started (liveness); readiness is reported, not waited for: a misconfigured backend is a DOWN
# entry that an ADMIN fixes through the API while everything keeps running.
echo "waiting for the services to start (logs in $run_rel/)…"
for i in "${!services[@]}"; do
  svc=${services[$i]}; port=${ports[$i]}
  wait_for "$svc" "http://localhost:$port/q/health/started" 90 || exit 1
  ready=$(curl -s -o "$run_dir/.ready.json" -w '%{http_code}' "http://localhost:$port/q/health/ready" || true)
  if [ "$ready" = 200 ]; then
    printf '  %-27s http://localhost:%s   ready\n' "$svc" "$port"
  else
    printf '  %-27s http://localhost:%s   started, NOT READY:\n' "$svc" "$port"
    python3 - "$run_dir/.ready.json" <<'EOF' || true
import json, sys
for c in json.load(open(sys.argv[1])).get("checks", []):
    if c.get("status") != "UP":
        d = c.get("data") or {}
        print("      %s: %s" % (c.get("name"), "; ".join("%s=%s" % kv for kv in d.items())))
EOF
  fi
done
rm -f "$run_dir/.ready.json"
printf '  %-27s http://localhost:%s/default   (users: any name, login form)\n' "local OIDC provider" "$oidc_port"
[ "$local_s3" = true ] && printf '  %-27s http://127.0.0.1:%s   (bucket latch, files in '"$run_rel/s3"')\n' "local S3 (S3Proxy)" "$s3_port"

# The local ADMIN exists only if no ADMIN did when auth-service first started on this database.
admin_status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' \
    "$admin_user" "$LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD")" "$auth_url/v1/auth/signin" || true)
echo
if [ "$admin_status" = 200 ]; then
  echo "ADMIN: user '$admin_user', password in ${run_dir#"$root"/}/admin-password"
else
  echo "The local ADMIN '$admin_user' was not created: this database already had an ADMIN (an older local run)."
  echo "Sign in with that account, or start over with deploy/run-local.sh --reset."
fi
echo "Open http://localhost:$broker_port/ and sign in through the local provider; try the API: deploy/demo.sh"
echo "Latch is running. Ctrl-C stops everything."
wait
