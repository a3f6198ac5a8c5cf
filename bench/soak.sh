#!/usr/bin/env bash
# The soak (bench/README.md "Soak"): the three packaged services in the production profile under an open-loop mix of
# sign-in, refresh, client_credentials, introspection, PAT use, /start, uploads and downloads at 70 % of the capacity
# calibrated on this machine, for 10 minutes (or the duration given, e.g. `bench/soak.sh 3m`). It is SoakTest, the
# same test ./mvnw verify runs for one minute. A passing run's table replaces the "## Soak" section of
# bench/RESULTS.md (SOAK_RECORD=0: don't); logs and samples stay in bench/target/.
# SOAK_SKIP_BUILD=1 skips the install of the modules it needs (they must be packaged and installed already).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
export MAVEN_ARGS="${MAVEN_ARGS:--B -ntp}"
if [[ "${SOAK_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q install -DskipTests -pl bench -am
fi
./mvnw test -pl bench -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.duration="$duration"
[[ "${SOAK_RECORD:-1}" == 1 ]] || exit 0
python3 - bench/RESULTS.md bench/target/soak.md "$duration" <<'PY'
import datetime, os, platform, re, subprocess, sys
results, table, duration = sys.argv[1], sys.argv[2], sys.argv[3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
section = (f"## Soak\n\n`bench/soak.sh {duration}` on {datetime.date.today()}: {os.cpu_count()} vCPU {cpu}, {java}; "
           "the three packaged services (production profile, -Xmx256m each), PostgreSQL and Redis of the machine, "
           "S3Proxy and mock-oauth2-server in the test JVM, all on loopback. How it works and what the bounds mean: "
           "bench/README.md \"Soak\".\n\n" + open(table).read().strip() + "\n")
text = open(results).read() if os.path.exists(results) else ""
m = re.search(r"^## Soak\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    rest = text[m.end():]
    text = text[:m.start()] + section + ("\n" + rest if rest else "")
else:
    text = (text.rstrip() + "\n\n" if text.strip() else "") + section
open(results, "w").write(text)
print(f"recorded in {results}")
PY
