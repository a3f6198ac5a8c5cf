#!/usr/bin/env bash
# Latch against Keycloak, side by side, on this machine: starts everything it measures, measures, writes
# bench/RESULTS.md, and stops everything it started (also on failure or Ctrl-C).
#
#   bench/run-all.sh              the whole run (about 15 minutes on 2 cores)
#   bench/run-all.sh --profile    the same, with a JFR recording of auth-service during the wrk rounds
#                                 (bench/target/run-all/auth-service.jfr)
#
# What it starts: the three services as packaged (*/target/quarkus-app/quarkus-run.jar; built with
# ./mvnw package if a jar is missing), S3Proxy, and Keycloak 26.7.3 (keycloak-quarkus-dist from Maven
# Central, cached in ~/.m2) in production mode, all on the machine's PostgreSQL and Redis (started if
# down, as .ci/run does). Ports, databases and the Redis database are its own, so it never meets the
# tests or a local run: ports 8081+offset… (BENCH_PORT_OFFSET, default 400: 8481-8484, Keycloak
# 18480/19480), databases latch_*_bench and keycloak_bench (dropped at the end), Redis DB 7.
#
# Environment: BENCH_SECONDS (one wrk round, default 12), BENCH_ROUNDS (rounds per system and path,
# default 3), BENCH_FAMILIES (refresh families prefilled in auth's database, default 100000),
# BENCH_LATCH_POOL / BENCH_KC_POOL (refresh tokens prepared, default 36000 / 18000, collected for at most
# BENCH_POOL_SECONDS, default 60; a refresh round ends early when its share of the pool is used up),
# BENCH_UPLOAD_MIB (default 64), BENCH_UPLOAD_BIG=true (also 1 GiB, one round each),
# BENCH_LATCH_JAVA_OPTS (JVM options of the Latch services; default -Xmx256m, the heap cap of
# deploy/run-local.sh, the images and the chart),
# BENCH_NOTE (a line for the top of RESULTS.md, e.g. "development run, machine shared").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

profile=false
for arg in "$@"; do
  case "$arg" in
    --profile) profile=true ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: bench/run-all.sh [--profile]" >&2; exit 2 ;;
  esac
done

round_s=${BENCH_SECONDS:-12}
rounds=${BENCH_ROUNDS:-3}
offset=${BENCH_PORT_OFFSET:-400}
suffix=_bench
redis_db=${BENCH_REDIS_DB:-7}
families=${BENCH_FAMILIES:-100000}
latch_pool=${BENCH_LATCH_POOL:-36000}
kc_pool=${BENCH_KC_POOL:-18000}
pool_s=${BENCH_POOL_SECONDS:-60}
upload_mib=${BENCH_UPLOAD_MIB:-64}
upload_big=${BENCH_UPLOAD_BIG:-false}
kc_version=26.7.3

out="$root/bench/target/run-all"
run="$out/run"
wrk_dir="$out/wrk"
py="$root/bench/wrk/bench.py"
lua="$root/bench/wrk"

auth_port=$((8081 + offset)); idp_port=$((8082 + offset)); storage_port=$((8083 + offset)); s3_port=$((8084 + offset))
kc_port=$((18080 + offset)); kc_mgmt_port=$((19080 + offset))
auth="http://127.0.0.1:$auth_port"; storage="http://127.0.0.1:$storage_port"; kc="http://127.0.0.1:$kc_port"
databases=("latch_auth$suffix" "latch_idp$suffix" "latch_storage$suffix" "keycloak$suffix")
PGH=(-h 127.0.0.1 -p 5432 -U postgres)

started_at=$(date +%s)
log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "FAILED: $*" >&2; exit 1; }

# --- everything it starts is a process group of its own (setsid), stopped by the EXIT trap
declare -A pid_of=()
jfr_on=false
current_wrk=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -n "$current_wrk" ] && kill -KILL "$current_wrk" 2>/dev/null
  if $jfr_on && [ -n "${pid_of[auth-service]:-}" ]; then
    jcmd "${pid_of[auth-service]}" JFR.stop name=bench >/dev/null 2>&1
  fi
  if [ ${#pid_of[@]} -gt 0 ]; then
    log "stopping ${!pid_of[*]}"
    for name in "${!pid_of[@]}"; do kill -TERM -- "-${pid_of[$name]}" 2>/dev/null; done
    for _ in $(seq 1 60); do
      local alive=false
      for name in "${!pid_of[@]}"; do kill -0 -- "-${pid_of[$name]}" 2>/dev/null && alive=true; done
      $alive || break
      sleep 0.5
    done
    for name in "${!pid_of[@]}"; do kill -KILL -- "-${pid_of[$name]}" 2>/dev/null; done
  fi
  for db in "${databases[@]}"; do
    psql "${PGH[@]}" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  redis-cli -h 127.0.0.1 -p 6379 -n "$redis_db" FLUSHDB >/dev/null 2>&1
  rm -rf "$run/s3" "$run/data" "$out/files"
  if [ "$rc" -eq 0 ]; then
    log "done in $(( $(date +%s) - started_at )) s; nothing left running, databases dropped"
  else
    log "ended with status $rc after $(( $(date +%s) - started_at )) s; nothing left running, databases dropped" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_bg() { # start_bg NAME COMMAND… — in its own process group, output to $run/NAME.log
  local name=$1; shift
  setsid "$@" >"$run/$name.log" 2>&1 </dev/null &
  pid_of[$name]=$!
}

stop_bg() { # stop_bg NAME — TERM its process group, wait (KILL after 30 s)
  local name=$1 pid=${pid_of[$1]}
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "pid_of[$name]"
}

wait_ready() { # wait_ready NAME URL SECONDS — until URL answers 200; fails when the process ends first
  local name=$1 url=$2 seconds=$3 end
  end=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ] && return 0
    kill -0 "${pid_of[$name]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "--- last lines of $run/$name.log" >&2
  tail -n 40 "$run/$name.log" >&2
  die "$name did not become ready at $url"
}

java_pid() { # the JVM of NAME (Keycloak's kc.sh runs java as its child)
  local pid=${pid_of[$1]} child
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then echo "$pid"; return; fi
  for _ in $(seq 1 100); do
    child=$(pgrep -P "$pid" -x java | head -n 1 || true)
    [ -n "$child" ] && { echo "$child"; return; }
    sleep 0.1
  done
  die "no JVM under $1"
}

rss_mib() { echo $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") / 1024 )); }

json() { # json FILE EXPR — a value of a JSON document (d), printed
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

note() { echo "$*" >>"$out/notes.txt"; }
command_line() { echo "$*" >>"$out/commands.txt"; }

# ------------------------------------------------------------------ prerequisites
for tool in java curl python3 psql redis-cli setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing on this machine"
done
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (apt-get)"
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
python3 -c 'import boto3' 2>/dev/null || die "python3 has no boto3 (pip install boto3): the direct S3 PUT uses it"
for port in $auth_port $idp_port $storage_port $s3_port $kc_port $kc_mgmt_port; do
  port_in_use "$port" && die "port $port is in use (another bench run? BENCH_PORT_OFFSET moves them)"
done

rm -rf "$out"
mkdir -p "$run" "$wrk_dir" "$out/files"
: >"$out/rounds.jsonl"; : >"$out/startup.jsonl"; : >"$out/storage.jsonl"; : >"$out/notes.txt"; : >"$out/commands.txt"

log "PostgreSQL and Redis (started if down)"
deploy/local-services.sh --no-create
for db in "${databases[@]}"; do
  psql "${PGH[@]}" -d postgres -qc "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  psql "${PGH[@]}" -d postgres -qc "CREATE DATABASE $db" >/dev/null
done
redis-cli -h 127.0.0.1 -p 6379 -n "$redis_db" FLUSHDB >/dev/null

services=(auth-service identity-provider-service storage-service)
for svc in "${services[@]}"; do
  if [ ! -f "$svc/target/quarkus-app/quarkus-run.jar" ]; then
    log "building the services (./mvnw -B -ntp -q -DskipTests package)"
    ./mvnw -B -ntp -q -DskipTests package -pl auth-service,identity-provider-service,storage-service -am </dev/null
    break
  fi
done
jar_date=$(date -r auth-service/target/quarkus-app/quarkus-run.jar '+%Y-%m-%d %H:%M')

# ------------------------------------------------------------------ Keycloak distribution (cached)
kc_tgz="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$kc_version/keycloak-quarkus-dist-$kc_version.tar.gz"
if [ ! -s "$kc_tgz" ]; then
  log "downloading keycloak-quarkus-dist $kc_version from Maven Central"
  mkdir -p "$(dirname "$kc_tgz")"
  curl -fsS -o "$kc_tgz.part" "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$kc_version/keycloak-quarkus-dist-$kc_version.tar.gz"
  mv "$kc_tgz.part" "$kc_tgz"
fi
kc_home="$root/bench/target/keycloak-$kc_version"
if [ ! -f "$kc_home/.bench-built" ]; then
  rm -rf "$kc_home"
  tar -xzf "$kc_tgz" -C "$root/bench/target"
  log "kc.sh build --db=postgres --health-enabled=true (once per extraction)"
  "$kc_home/bin/kc.sh" build --db=postgres --health-enabled=true >"$out/kc-build.log" 2>&1 || { cat "$out/kc-build.log"; die "kc.sh build"; }
  touch "$kc_home/.bench-built"
fi

# ------------------------------------------------------------------ configuration and secrets of this run
(
  umask 077
  head -c 32 /dev/urandom | base64 >"$run/keys.key"
  head -c 32 /dev/urandom | base64 >"$run/url-signing.key"
  head -c 32 /dev/urandom | base64 >"$run/storage-encryption.key"
  head -c 32 /dev/urandom | base64 >"$run/idp-encryption.key"
  head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$run/admin-password"
  head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$run/s3-secret"
  head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$run/kc-admin-password"
)
admin_password=$(cat "$run/admin-password")
user_password="bench-Password-1"
kc_secret="bench-client-secret"

# shared by the three services (exported: secrets reach them by environment, never by command line)
export QUARKUS_DATASOURCE_USERNAME=postgres
export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:6379/$redis_db"
export QUARKUS_HTTP_HOST=127.0.0.1
export QUARKUS_SHUTDOWN_DELAY=0S
export LATCH_PRODUCTION_READINESS_ENABLED=false # development clients on localhost, as deploy/run-local.sh
export LATCH_AUTH_SERVICE_URL="$auth" LATCH_AUTH_SERVICE_PUBLIC_URL="$auth" LATCH_JWT_ISSUER="$auth"
export LATCH_AUTH_KEYS_ALGORITHM=RS256
# One user signs in on 16 connections at once: each attempt in flight counts against the username's limit
# (5) until it succeeds, so Latch's sign-in limiter would answer most of them 429. Keycloak's brute-force
# detection is off by default; here both sides measure the password path, the limiter's Redis calls included.
export LATCH_AUTH_RATE_LIMIT_MAX_FAILURES_PER_USERNAME=1000000 LATCH_AUTH_RATE_LIMIT_MAX_FAILURES_PER_IP=1000000
export LATCH_AUTH_KEYS_ENCRYPTION_KEY; LATCH_AUTH_KEYS_ENCRYPTION_KEY=$(cat "$run/keys.key")
export LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME=admin
export LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD="$admin_password"
export LATCH_IDP_CLIENT_SECRET=latch-idp-secret
export LATCH_JWT_INTROSPECTION_CLIENT_ID=latch-dev LATCH_JWT_INTROSPECTION_CLIENT_SECRET=latch-dev-secret
export LATCH_IDP_SECRETS_ENCRYPTION_KEY; LATCH_IDP_SECRETS_ENCRYPTION_KEY=$(cat "$run/idp-encryption.key")
export LATCH_STORAGE_URL_SIGNING_KEY; LATCH_STORAGE_URL_SIGNING_KEY=$(cat "$run/url-signing.key")
export LATCH_STORAGE_ENCRYPTION_KEY; LATCH_STORAGE_ENCRYPTION_KEY=$(cat "$run/storage-encryption.key")
export LATCH_STORAGE_DATA_DIR="$run/data"
export LATCH_STORAGE_S3_ENDPOINT="http://127.0.0.1:$s3_port" LATCH_STORAGE_S3_REGION=us-east-1 \
  LATCH_STORAGE_S3_BUCKET=latch LATCH_STORAGE_S3_PATH_STYLE=true LATCH_STORAGE_S3_ACCESS_KEY_ID=latch-bench
export LATCH_STORAGE_S3_SECRET_ACCESS_KEY; LATCH_STORAGE_S3_SECRET_ACCESS_KEY=$(cat "$run/s3-secret")
export BENCH_S3_ENDPOINT="http://127.0.0.1:$s3_port" BENCH_S3_IDENTITY=latch-bench BENCH_S3_BUCKET=latch
export BENCH_S3_CREDENTIAL="$LATCH_STORAGE_S3_SECRET_ACCESS_KEY"
(umask 077 && cat >"$run/auth-service.properties" <<EOF
latch.auth.clients.latch-dev.secret=latch-dev-secret
latch.auth.clients.latch-dev.scopes=openid,tokens:introspect
latch.auth.clients.latch-idp.secret=latch-idp-secret
latch.auth.clients.latch-idp.scopes=sessions:issue
EOF
)
(umask 077 && cat >"$run/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=latch-bench
s3proxy.credential=$LATCH_STORAGE_S3_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$run/s3
EOF
)
mkdir -p "$run/s3/latch" "$run/data"

# ------------------------------------------------------------------ S3Proxy
s3_cp_file="$root/bench/target/s3proxy.classpath"
if [ ! -s "$s3_cp_file" ]; then
  ./mvnw -B -q -ntp -o -f deploy/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile="$s3_cp_file" >/dev/null </dev/null \
    || ./mvnw -B -q -ntp -f deploy/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile="$s3_cp_file" >/dev/null </dev/null
fi
start_bg s3proxy java -cp "$(cat "$s3_cp_file")" org.gaul.s3proxy.Main --properties "$run/s3proxy.properties"
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.25; done

# ------------------------------------------------------------------ start each service alone, timed
svc_port() { case $1 in auth-service) echo "$auth_port" ;; identity-provider-service) echo "$idp_port" ;; storage-service) echo "$storage_port" ;; esac; }
svc_db() { case $1 in auth-service) echo "latch_auth$suffix" ;; identity-provider-service) echo "latch_idp$suffix" ;; storage-service) echo "latch_storage$suffix" ;; esac; }

start_latch() { # start_latch SERVICE KIND — start alone, wait for readiness, record time and RSS
  local svc=$1 kind=$2 port t0 t1 config=()
  port=$(svc_port "$svc")
  [ -f "$run/$svc.properties" ] && config=(QUARKUS_CONFIG_LOCATIONS="$run/$svc.properties")
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  start_bg "$svc" env "${config[@]}" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$(svc_db "$svc")" \
    QUARKUS_HTTP_PORT="$port" LATCH_PUBLIC_BASE_URL="http://127.0.0.1:$port" \
    java ${BENCH_LATCH_JAVA_OPTS:--Xmx256m} -jar "$svc/target/quarkus-app/quarkus-run.jar"
  wait_ready "$svc" "http://127.0.0.1:$port/q/health/ready" 120
  t1=$(date +%s.%N)
  printf '{"service":"%s","kind":"%s","seconds":%s,"rss_mib":%s}\n' "$svc" "$kind" \
    "$(echo "$t1 - $t0" | bc)" "$(rss_mib "${pid_of[$svc]}")" >>"$out/startup.jsonl"
  log "  $svc ready ($kind start) in $(echo "$t1 - $t0" | bc | cut -c1-5) s, RSS $(rss_mib "${pid_of[$svc]}") MiB"
}

kc_args=(start --optimized --http-enabled=true --hostname-strict=false --http-host=127.0.0.1 --http-port="$kc_port"
  --http-management-port="$kc_mgmt_port" --cache=local
  --db-url="jdbc:postgresql://127.0.0.1:5432/keycloak$suffix" --db-username=postgres --db-password=x
  --spi-password-hashing--argon2--memory=19456 --spi-password-hashing--argon2--iterations=2
  --spi-password-hashing--argon2--parallelism=1)
start_kc() { # start_kc KIND
  local t0 t1 jp
  t0=$(date +%s.%N)
  start_bg keycloak env KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$run/kc-admin-password")" \
    "$kc_home/bin/kc.sh" "${kc_args[@]}"
  wait_ready keycloak "http://127.0.0.1:$kc_mgmt_port/health/ready" 180
  t1=$(date +%s.%N)
  jp=$(java_pid keycloak)
  printf '{"service":"keycloak","kind":"%s","seconds":%s,"rss_mib":%s}\n' "$1" "$(echo "$t1 - $t0" | bc)" \
    "$(rss_mib "$jp")" >>"$out/startup.jsonl"
  log "  keycloak ready ($1 start) in $(echo "$t1 - $t0" | bc | cut -c1-5) s, RSS $(rss_mib "$jp") MiB"
}

log "starting the services one at a time (first start: empty databases)"
for svc in "${services[@]}"; do start_latch "$svc" first; done
start_kc first
command_line "java ${BENCH_LATCH_JAVA_OPTS:--Xmx256m} -jar <service>/target/quarkus-app/quarkus-run.jar   # env as in bench/run-all.sh (RS256, Redis DB $redis_db, databases latch_*$suffix)"
command_line "kc.sh build --db=postgres --health-enabled=true"
command_line "kc.sh ${kc_args[*]}"

# ------------------------------------------------------------------ Latch: users and clients
curl_json() { # curl_json EXPECTED OUT curl-args…
  local expected=$1 outf=$2 status; shift 2
  status=$(curl -sS -o "$outf" -w '%{http_code}' "$@") || true
  [ "$status" = "$expected" ] || { cat "$outf" >&2 2>/dev/null; echo >&2; die "expected $expected, got $status: curl $*"; }
}
log "Latch: a user for sign-in and introspection"
curl_json 201 "$out/signup.json" -H 'Content-Type: application/json' \
  -d "{\"username\":\"benchuser\",\"password\":\"$user_password\",\"email\":\"bench@example.com\"}" "$auth/v1/auth/signup"
latch_signin_body="{\"username\":\"benchuser\",\"password\":\"$user_password\"}"
curl_json 200 "$out/signin.json" -H 'Content-Type: application/json' -d "$latch_signin_body" "$auth/v1/auth/signin"
latch_basic="Basic $(printf 'latch-dev:latch-dev-secret' | base64)"
latch_idp_basic="Basic $(printf 'latch-idp:latch-idp-secret' | base64)"

# ------------------------------------------------------------------ Keycloak: realm, clients, users (admin REST API)
kc_admin_token() {
  curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin \
    --data-urlencode "password=$(cat "$run/kc-admin-password")" "$kc/realms/master/protocol/openid-connect/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
log "Keycloak: realm bench, client bench-client (audience mapper), users (admin REST API)"
tok=$(kc_admin_token)
# Refresh tokens are single use (revokeRefreshToken, max reuse 0), as Latch rotates every refresh token;
# access tokens live 15 minutes like Latch's. The pool user's password is hashed cheaply (PBKDF2, 1 round)
# only to prepare the refresh-token pool fast; the sign-in user gets Argon2id with Latch's parameters.
cat >"$out/kc-realm.json" <<EOF
{"realm":"bench","enabled":true,"accessTokenLifespan":900,"revokeRefreshToken":true,"refreshTokenMaxReuse":0,
 "passwordPolicy":"hashAlgorithm(pbkdf2-sha256) and hashIterations(1)",
 "clients":[{"clientId":"bench-client","enabled":true,"publicClient":false,"clientAuthenticatorType":"client-secret",
   "secret":"$kc_secret","serviceAccountsEnabled":true,"directAccessGrantsEnabled":true,"standardFlowEnabled":false,
   "protocolMappers":[{"name":"audience bench-client","protocol":"openid-connect","protocolMapper":"oidc-audience-mapper",
     "config":{"included.client.audience":"bench-client","access.token.claim":"true","id.token.claim":"false",
               "introspection.token.claim":"true"}}]}],
 "users":[{"username":"pooluser","enabled":true,"email":"pool@example.com","emailVerified":true,"firstName":"Pool",
   "lastName":"User","credentials":[{"type":"password","value":"$user_password","temporary":false}]}]}
EOF
curl_json 201 "$out/kc-create.txt" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  --data-binary @"$out/kc-realm.json" "$kc/admin/realms"
kc_token_url="$kc/realms/bench/protocol/openid-connect/token"
kc_basic="Basic $(printf 'bench-client:%s' "$kc_secret" | base64)"
curl_json 200 "$out/kc-cc.json" -H "Authorization: $kc_basic" -d grant_type=client_credentials "$kc_token_url"

# ------------------------------------------------------------------ restarts, timed (migrated databases)
log "restarting each service alone (databases now migrated)"
for svc in "${services[@]}"; do stop_bg "$svc"; start_latch "$svc" restart; done
stop_bg keycloak; start_kc restart
auth_pid=${pid_of[auth-service]}; storage_pid=${pid_of[storage-service]}; kc_pid=$(java_pid keycloak)

# ------------------------------------------------------------------ Latch: prefill refresh families
log "Latch: prefilling $families refresh families (10000 users) by SQL"
psql "${PGH[@]}" -d "latch_auth$suffix" -v ON_ERROR_STOP=1 -q <<EOF
INSERT INTO users (id, username, email, email_verified, display_name, role, status, created_at, updated_at)
SELECT gen_random_uuid(), 'prefill' || g, 'prefill' || g || '@example.com', true, 'Prefill user ' || g, 'USER', 'ACTIVE',
       now() - interval '60 days', now() - interval '1 day'
FROM generate_series(1, 10000) g;
CREATE TEMP TABLE prefill_users AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE username LIKE 'prefill%';
CREATE TEMP TABLE prefill_families AS
SELECT gen_random_uuid() AS id, u.id AS user_id, g
FROM generate_series(1, $families) g JOIN prefill_users u ON u.n = g % 10000;
INSERT INTO refresh_families (id, user_id, client_id, scope, created_at, expires_at, last_used_at, revoked_at, revoke_reason, ip, user_agent)
SELECT id, user_id, 'latch', '', now() - (g % 29) * interval '1 day', now() + (30 - g % 29) * interval '1 day',
       now() - (g % 1440) * interval '1 minute',
       CASE WHEN g % 10 = 0 THEN now() - interval '1 hour' END, CASE WHEN g % 10 = 0 THEN 'signout' END,
       '10.' || (g % 250) || '.' || (g % 200) || '.' || (g % 100),
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
FROM prefill_families;
-- the live token of each family, and for half of them the rotated one before it
CREATE TEMP TABLE prefill_tokens AS SELECT gen_random_uuid() AS id, id AS family_id, g FROM prefill_families;
INSERT INTO refresh_tokens (id, family_id, token_hash, created_at)
SELECT id, family_id, sha256(convert_to(gen_random_uuid()::text || g, 'UTF8')), now() - (g % 1440) * interval '1 minute'
FROM prefill_tokens;
INSERT INTO refresh_tokens (id, family_id, token_hash, created_at, rotated_at, successor_id)
SELECT gen_random_uuid(), family_id, sha256(convert_to(gen_random_uuid()::text || 'r' || g, 'UTF8')),
       now() - interval '2 days', now() - (g % 1440) * interval '1 minute', id
FROM prefill_tokens WHERE g % 2 = 0;
EOF
counts=$(psql "${PGH[@]}" -d "latch_auth$suffix" -tAc "SELECT (SELECT count(*) FROM refresh_families) || ' families, ' || (SELECT count(*) FROM refresh_tokens) || ' tokens, ' || (SELECT count(*) FROM users) || ' users'")
log "  $counts (no ANALYZE: this machine's PostgreSQL runs without autovacuum, as a freshly loaded production database)"
note "auth database before the refresh rounds: $counts, prefilled by SQL (10% of the families revoked, half with a rotated predecessor); no ANALYZE was run (autovacuum is off on this machine)."

# ------------------------------------------------------------------ token pools (each refresh token used once)
collect() { # collect NAME QUOTA URL — wrk with collect.lua until QUOTA tokens (env BENCH_*), into $out/NAME.pool
  local name=$1 quota=$2 url=$3
  # wrk's main thread sleeps for the whole -d even when its threads stop early: it is interrupted (SIGINT, it
  # then reports) as soon as both threads have their share
  BENCH_OUT="$out/$name" BENCH_QUOTA=$(( (quota + 1) / 2 )) \
    wrk -t2 -c16 -d300s --timeout 10s -s "$lua/collect.lua" "$url" >"$wrk_dir/collect-$name.txt" 2>&1 &
  local wrk_pid=$! have deadline=$(( $(date +%s) + pool_s ))
  current_wrk=$wrk_pid
  while kill -0 "$wrk_pid" 2>/dev/null; do
    have=$(cat "$out/$name".[0-9] 2>/dev/null | wc -l || true)
    if [ "$have" -ge $(( (quota + 1) / 2 * 2 )) ] || [ "$(date +%s)" -ge "$deadline" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true; break
    fi
    sleep 0.5
  done
  wait "$wrk_pid" || true
  cat "$out/$name".[0-9] >"$out/$name.pool"
  rm -f "$out/$name".[0-9]
  local got; got=$(wc -l <"$out/$name.pool")
  log "  $got tokens for $name ($(grep -E 'Requests/sec' "$wrk_dir/collect-$name.txt" | awk '{print $2}') req/s)"
  [ "$got" -gt 0 ] || die "no tokens collected for $name"
  split -n "l/$rounds" -d -a 1 "$out/$name.pool" "$out/$name.pool."
}
log "Latch: up to $latch_pool refresh tokens (at most $pool_s s) through POST /internal/v1/federated-sessions (no password hash on the way)"
curl_json 200 "$out/idp-token.json" -H "Authorization: $latch_idp_basic" -d grant_type=client_credentials -d scope=sessions:issue \
  "$auth/oauth2/token"
idp_token=$(json "$out/idp-token.json" 'd["access_token"]')
fed_body='{"provider":"bench","subject":"bench-pool-user","email":"pool@example.com","emailVerified":true,"displayName":"Pool user","allowSignup":true}'
# the identity exists before the parallel calls (16 concurrent first logins of one identity are another matter)
curl_json 200 "$out/fed.json" -H "Authorization: Bearer $idp_token" -H 'Content-Type: application/json' -d "$fed_body" \
  "$auth/internal/v1/federated-sessions"
BENCH_BODY="$fed_body" BENCH_CTYPE=application/json BENCH_AUTH="Bearer $idp_token" BENCH_FIELD=refreshToken \
  collect latch "$latch_pool" "$auth/internal/v1/federated-sessions"
log "Keycloak: up to $kc_pool refresh tokens (at most $pool_s s) through the password grant of pooluser"
BENCH_BODY="grant_type=password&username=pooluser&password=$user_password" BENCH_CTYPE=application/x-www-form-urlencoded \
  BENCH_AUTH="$kc_basic" BENCH_FIELD=refresh_token collect keycloak "$kc_pool" "$kc_token_url"

# the sign-in user, with Argon2id at Latch's parameters (m=19456 KiB, t=2, p=1; set on the command line)
tok=$(kc_admin_token)
curl_json 204 "$out/kc-policy.txt" -X PUT -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  -d '{"passwordPolicy":"hashAlgorithm(argon2)"}' "$kc/admin/realms/bench"
curl_json 201 "$out/kc-user.txt" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  -d "{\"username\":\"benchuser\",\"enabled\":true,\"email\":\"bench@example.com\",\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"User\",\"credentials\":[{\"type\":\"password\",\"value\":\"$user_password\",\"temporary\":false}]}" \
  "$kc/admin/realms/bench/users"
curl_json 200 "$out/kc-users.json" -H "Authorization: Bearer $tok" "$kc/admin/realms/bench/users?username=benchuser&exact=true"
kc_user_id=$(json "$out/kc-users.json" 'd[0]["id"]')
curl_json 200 "$out/kc-cred.json" -H "Authorization: Bearer $tok" "$kc/admin/realms/bench/users/$kc_user_id/credentials"
kc_hash=$(json "$out/kc-cred.json" '__import__("json").loads(d[0]["credentialData"])')
log "  Keycloak benchuser's credential: $kc_hash"
note "Keycloak's benchuser password hash (admin API credentialData): \`$kc_hash\`; Keycloak 26's own default is Argon2id m=7168 KiB, t=5, p=1. Latch: Argon2id m=19456 KiB, t=2, p=1 (its default)."
kc_signin_body="grant_type=password&username=benchuser&password=$user_password"
curl_json 200 "$out/kc-signin.json" -H "Authorization: $kc_basic" -d "$kc_signin_body" "$kc_token_url"

# ------------------------------------------------------------------ wrk rounds, interleaved
ticks() { python3 "$py" ticks "$1"; }
round() { # round SYSTEM PATH N PID URL [wrk args…] — one wrk run, CPU and RSS around it
  local system=$1 path=$2 n=$3 pid=$4 url=$5 before after exhausted=no
  shift 5
  before=$(ticks "$pid")
  wrk -t2 -c16 -d"${round_s}s" --timeout 10s --latency "$@" "$url" >"$wrk_dir/$system-$path-$n.txt" 2>&1 &
  local wrk_pid=$!
  current_wrk=$wrk_pid
  if [ -n "${BENCH_POOL:-}" ]; then
    # a pool used up by both threads ends the round (SIGINT: wrk reports over the time it really ran)
    while kill -0 "$wrk_pid" 2>/dev/null; do
      if [ "$(ls "$BENCH_POOL".*.exhausted 2>/dev/null | wc -l)" -ge 2 ]; then
        exhausted=yes; kill -INT "$wrk_pid" 2>/dev/null || true; break
      fi
      sleep 0.2
    done
  fi
  wait "$wrk_pid" || true
  after=$(ticks "$pid")
  ls "${BENCH_POOL:-/nonexistent}".*.exhausted >/dev/null 2>&1 && exhausted=yes
  python3 "$py" round "$system" "$path" "$n" "$wrk_dir/$system-$path-$n.txt" "$before" "$after" "$exhausted" \
    | tee -a "$out/rounds.jsonl" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("    %-8s %-18s #%d %9.1f req/s  p50 %7.2f ms  p99 %8.2f ms  non-2xx %-6d CPU %.2f s/1000  pg %.2f s/1000  RSS %d MiB" % (r["system"], r["path"], r["round"], r["rps"], r["p50_ms"] or 0, r["p99_ms"] or 0, r["non2xx"], r["server_cpu_s_per_1000"], r["pg_cpu_s_per_1000"], r["rss_mib"]))'
}
warmup() { # warmup URL [wrk args…] — 3 s, not recorded (JIT, pools), before the measured rounds of a path
  local url=$1; shift
  wrk -t2 -c16 -d3s --timeout 10s "$@" "$url" >/dev/null 2>&1 || true
}
latch_access() { curl -fsS -H 'Content-Type: application/json' -d "$latch_signin_body" "$auth/v1/auth/signin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'; }
kc_access() { curl -fsS -H "Authorization: $kc_basic" -d "$kc_signin_body" "$kc_token_url" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }

if $profile; then
  jcmd "$auth_pid" JFR.start name=bench settings=profile filename="$out/auth-service.jfr" >/dev/null
  jfr_on=true
  note "--profile: JFR recording of auth-service during the wrk rounds: bench/target/run-all/auth-service.jfr (\`jfr print --events jdk.ExecutionSample\` or JDK Mission Control)."
fi

command_line "wrk -t2 -c16 -d${round_s}s --timeout 10s --latency -s bench/wrk/post.lua|pool.lua URL   # BENCH_BODY/BENCH_AUTH/BENCH_POOL per path"
log "wrk rounds: $rounds × (Latch, Keycloak) per path, ${round_s} s each, -t2 -c16"
log "  client_credentials"
BENCH_BODY="grant_type=client_credentials" BENCH_AUTH="$latch_basic" warmup "$auth/oauth2/token" -s "$lua/post.lua"
BENCH_BODY="grant_type=client_credentials" BENCH_AUTH="$kc_basic" warmup "$kc_token_url" -s "$lua/post.lua"
for n in $(seq 1 "$rounds"); do
  BENCH_BODY="grant_type=client_credentials" BENCH_AUTH="$latch_basic" round latch client_credentials "$n" "$auth_pid" "$auth/oauth2/token" -s "$lua/post.lua"
  BENCH_BODY="grant_type=client_credentials" BENCH_AUTH="$kc_basic" round keycloak client_credentials "$n" "$kc_pid" "$kc_token_url" -s "$lua/post.lua"
done
log "  introspection of a user's access token"
BENCH_BODY="token=$(latch_access)" BENCH_AUTH="$latch_basic" warmup "$auth/oauth2/introspect" -s "$lua/post.lua"
BENCH_BODY="token=$(kc_access)" BENCH_AUTH="$kc_basic" warmup "$kc_token_url/introspect" -s "$lua/post.lua"
for n in $(seq 1 "$rounds"); do
  at=$(latch_access)
  active=$(curl -fsS -H "Authorization: $latch_basic" --data-urlencode "token=$at" "$auth/oauth2/introspect")
  case "$active" in *'"active":true'*) ;; *) die "Latch introspection is not active: $active" ;; esac
  BENCH_BODY="token=$at" BENCH_AUTH="$latch_basic" round latch introspection "$n" "$auth_pid" "$auth/oauth2/introspect" -s "$lua/post.lua"
  at=$(kc_access)
  active=$(curl -fsS -H "Authorization: $kc_basic" --data-urlencode "token=$at" "$kc_token_url/introspect")
  case "$active" in *'"active":true'*) ;; *) die "Keycloak introspection is not active: $active" ;; esac
  BENCH_BODY="token=$at" BENCH_AUTH="$kc_basic" round keycloak introspection "$n" "$kc_pid" "$kc_token_url/introspect" -s "$lua/post.lua"
done
log "  refresh rotation (each token once)"
for n in $(seq 1 "$rounds"); do
  i=$((n - 1))
  BENCH_POOL="$out/latch.pool.$i" BENCH_FORMAT=latch round latch refresh "$n" "$auth_pid" "$auth/v1/auth/refresh" -s "$lua/pool.lua"
  BENCH_POOL="$out/keycloak.pool.$i" BENCH_FORMAT=keycloak BENCH_AUTH="$kc_basic" round keycloak refresh "$n" "$kc_pid" "$kc_token_url" -s "$lua/pool.lua"
done
log "  password sign-in"
BENCH_BODY="$latch_signin_body" BENCH_CTYPE=application/json warmup "$auth/v1/auth/signin" -s "$lua/post.lua"
BENCH_BODY="$kc_signin_body" BENCH_AUTH="$kc_basic" warmup "$kc_token_url" -s "$lua/post.lua"
for n in $(seq 1 "$rounds"); do
  BENCH_BODY="$latch_signin_body" BENCH_CTYPE=application/json round latch signin "$n" "$auth_pid" "$auth/v1/auth/signin" -s "$lua/post.lua"
  BENCH_BODY="$kc_signin_body" BENCH_AUTH="$kc_basic" round keycloak signin "$n" "$kc_pid" "$kc_token_url" -s "$lua/post.lua"
done
log "  JWKS"
warmup "$auth/.well-known/jwks.json"; warmup "$kc/realms/bench/protocol/openid-connect/certs"
for n in $(seq 1 "$rounds"); do
  round latch jwks "$n" "$auth_pid" "$auth/.well-known/jwks.json"
  round keycloak jwks "$n" "$kc_pid" "$kc/realms/bench/protocol/openid-connect/certs"
done
if $jfr_on; then
  jcmd "$auth_pid" JFR.stop name=bench >/dev/null
  jfr_on=false
  log "  JFR of auth-service: $out/auth-service.jfr"
fi

# ------------------------------------------------------------------ storage: through storage-service vs straight to S3
log "storage: S3 backend, PROXY delivery"
curl_json 200 "$out/admin-signin.json" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$auth/v1/auth/signin"
admin_token=$(json "$out/admin-signin.json" 'd["accessToken"]')
curl_json 200 "$out/settings.json" -H "Authorization: Bearer $admin_token" "$storage/api/v1/storage/settings"
types=$(json "$out/settings.json" '__import__("json").dumps(d["allowedTypes"] + ["application/octet-stream"])')
curl_json 200 "$out/settings2.json" -X PUT -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d "{\"defaultBackend\":\"S3\",\"delivery\":\"PROXY\",\"maxUploadBytes\":2147483648,\"allowedTypes\":$types}" \
  "$storage/api/v1/storage/settings"
storage_record() { # storage_record CASE MIB ROUND SECONDS
  printf '{"case":"%s","mib":%s,"round":%s,"seconds":%s,"rss_mib":%s}\n' "$1" "$2" "$3" "$4" "$(rss_mib "$storage_pid")" \
    >>"$out/storage.jsonl"
  log "    $(printf '%-20s %5s MiB #%s %7.3f s  %6.0f MiB/s  storage-service RSS %s MiB' "$1" "$2" "$3" "$4" "$(echo "$2 / $4" | bc -l)" "$(rss_mib "$storage_pid")")"
}
upload() { # upload multipart|raw FILE — through storage-service; prints seconds, leaves the answer in $out/upload.json
  local how=$1 file=$2 res
  if [ "$how" = multipart ]; then
    res=$(curl -sS -o "$out/upload.json" -w '%{http_code} %{time_total}' -H 'Expect:' -H "Authorization: Bearer $admin_token" \
      -F "file=@$file;type=application/octet-stream" "$storage/api/v1/attachments")
  else
    res=$(curl -sS -o "$out/upload.json" -w '%{http_code} %{time_total}' -H 'Expect:' -H "Authorization: Bearer $admin_token" \
      -H 'Content-Type: application/octet-stream' -X POST -T "$file" "$storage/api/v1/attachments?filename=bench.bin")
  fi
  [ "${res%% *}" = 201 ] || { cat "$out/upload.json" >&2; die "upload ($how) answered ${res%% *}"; }
  echo "${res#* }"
}
download() { # download URL — prints seconds; checks the size
  local res
  res=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' "$1")
  [ "${res%% *}" = 200 ] || die "download answered ${res%% *}: $1"
  echo "$res" | awk '{print $2}'
}
# one unmeasured pass of each operation first (class loading, S3 clients, connection pools)
head -c $((1024 * 1024)) /dev/urandom >"$out/files/warmup.bin"
upload multipart "$out/files/warmup.bin" >/dev/null; upload raw "$out/files/warmup.bin" >/dev/null
python3 "$py" s3 put "$out/files/warmup.bin" bench/warmup.bin >/dev/null
curl_json 200 "$out/attachment.json" -H "Authorization: Bearer $admin_token" "$storage/api/v1/attachments/$(json "$out/upload.json" 'd["uid"]')"
w_url=$(json "$out/attachment.json" 'd["url"]'); case "$w_url" in http*) ;; *) w_url="$storage$w_url" ;; esac
download "$w_url" >/dev/null; download "$(python3 "$py" s3 presign bench/warmup.bin)" >/dev/null
sizes=("$upload_mib")
$upload_big && sizes+=(1024)
for mib in "${sizes[@]}"; do
  file="$out/files/bench-$mib.bin"
  head -c "$((mib * 1024 * 1024))" /dev/urandom >"$file"
  n_rounds=$rounds
  [ "$mib" -ge 1024 ] && n_rounds=1
  for n in $(seq 1 "$n_rounds"); do
    storage_record "upload multipart" "$mib" "$n" "$(upload multipart "$file")"
    uid=$(json "$out/upload.json" 'd["uid"]')
    storage_record "direct PUT" "$mib" "$n" "$(python3 "$py" s3 put "$file" "bench/direct-$mib-$n.bin")"
    storage_record "upload raw body" "$mib" "$n" "$(upload raw "$file")"
    uid_raw=$(json "$out/upload.json" 'd["uid"]')
    storage_record "direct PUT" "$mib" "$n" "$(python3 "$py" s3 put "$file" "bench/direct-$mib-$n-b.bin")"
    curl_json 200 "$out/attachment.json" -H "Authorization: Bearer $admin_token" "$storage/api/v1/attachments/$uid"
    proxy_url=$(json "$out/attachment.json" 'd["url"]')
    case "$proxy_url" in http*) ;; *) proxy_url="$storage$proxy_url" ;; esac
    storage_record "download PROXY" "$mib" "$n" "$(download "$proxy_url")"
    storage_record "download presigned" "$mib" "$n" "$(download "$(python3 "$py" s3 presign "bench/direct-$mib-$n.bin")")"
    for u in "$uid" "$uid_raw"; do
      curl -sS -o /dev/null -X DELETE -H "Authorization: Bearer $admin_token" "$storage/api/v1/attachments/$u" || true
    done
    python3 "$py" s3 delete "bench/direct-$mib-$n.bin"; python3 "$py" s3 delete "bench/direct-$mib-$n-b.bin"
  done
  rm -f "$file"
done
command_line "curl -F file=@bench-$upload_mib.bin;type=application/octet-stream $storage/api/v1/attachments      # multipart"
command_line "curl -T bench-$upload_mib.bin -X POST -H 'Content-Type: application/octet-stream' '$storage/api/v1/attachments?filename=bench.bin'   # raw"
command_line "boto3 put_object (bench/wrk/bench.py s3 put)   # direct; curl <signed /file/… URL> vs curl <boto3 presigned GET>"

# ------------------------------------------------------------------ RESULTS.md
note "RSS at the end: auth-service $(rss_mib "$auth_pid") MiB (peak $(( $(awk '/^VmHWM:/ {print $2}' "/proc/$auth_pid/status") / 1024 )) MiB), storage-service $(rss_mib "$storage_pid") MiB (peak $(( $(awk '/^VmHWM:/ {print $2}' "/proc/$storage_pid/status") / 1024 )) MiB), Keycloak $(rss_mib "$kc_pid") MiB (peak $(( $(awk '/^VmHWM:/ {print $2}' "/proc/$kc_pid/status") / 1024 )) MiB)."
note "JVM options: Latch services \`${BENCH_LATCH_JAVA_OPTS:--Xmx256m (the heap cap of deploy/run-local.sh, the images and the chart)}\`; Keycloak kc.sh's defaults ($(tr '\0' ' ' <"/proc/$kc_pid/cmdline" | grep -oE -- '-X(ms|mx)[^ ]+|-XX:[A-Za-z]*RAMPercentage=[0-9]+' | tr '\n' ' '))."
note "Keycloak: production mode (\`start --optimized\`) on PostgreSQL, \`--cache=local\` (one node, as Latch runs one instance per service here), RS256 realm keys (default), refresh tokens single-use (revokeRefreshToken, refreshTokenMaxReuse 0), access tokens 15 min. Latch: RS256 (LATCH_AUTH_KEYS_ALGORITHM)."
note "Token pools: Latch's refresh tokens come from POST /internal/v1/federated-sessions (the broker's way in, no password hash), Keycloak's from the password grant of a user hashed with PBKDF2 (1 round, only for the pool); $(wc -l <"$out/latch.pool") and $(wc -l <"$out/keycloak.pool") tokens, split in $rounds parts, one per round, each token sent once."
note "Latch's sign-in limiter is raised (LATCH_AUTH_RATE_LIMIT_MAX_FAILURES_PER_USERNAME/_PER_IP=1000000): with its defaults, 16 parallel sign-ins of one user get 429 (attempts in flight count against the username's limit of 5). Keycloak's brute-force detection is off by default."
note "Introspection: a user's access token from a sign-in (Latch) / password grant (Keycloak), fresh before each round; the introspecting client is latch-dev / bench-client (audience mapper)."
note "The jars: built $jar_date (auth-service/target/quarkus-app/quarkus-run.jar)$(git diff --quiet HEAD -- auth-service/src identity-provider-service/src storage-service/src common/src 2>/dev/null || echo '; the working tree had uncommitted service changes at the time of the run')."

python3 - "$out/meta.json" <<EOF
import json, subprocess, os
def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
notes = [l for l in open("$out/notes.txt").read().splitlines() if l]
cmds = [l for l in open("$out/commands.txt").read().splitlines() if l]
jdk = sh("java -version 2>&1 | head -n 1")
meta = {
  "date": sh("date -u '+%Y-%m-%d %H:%M UTC'"),
  "commit": sh("git rev-parse --short HEAD") + " (" + sh("git log -1 --format=%s | cut -c1-80") + ")",
  "machine": sh("nproc") + " CPUs, " + sh("uname -sr"),
  "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
  "ram": sh("free -g | awk '/^Mem:/ {print \$2}'") + " GiB",
  "jdk": jdk,
  "keycloak": "keycloak-quarkus-dist $kc_version",
  "duration": str(int(__import__("time").time()) - $started_at) + " s for the whole script",
  "settings": "wrk -t2 -c16, $rounds rounds × ${round_s} s per system and path, interleaved Latch, Keycloak, …; PostgreSQL " + sh("psql -h 127.0.0.1 -U postgres -tAc 'show server_version'"),
  "note": os.environ.get("BENCH_NOTE", ""),
  "notes": notes, "commands": ["bench/run-all.sh" + (" --profile" if "$profile" == "true" else "")] + cmds,
}
json.dump(meta, open(__import__("sys").argv[1], "w"), indent=1)
EOF
python3 "$py" report "$out" bench/RESULTS.md
log "wrote bench/RESULTS.md (raw data in bench/target/run-all/)"
