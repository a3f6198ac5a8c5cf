#!/usr/bin/env bash
# Builds and runs Latch's JMH benchmarks, then prints the ratios between them (one run, one machine:
# compare within a run, never across machines). Extra arguments go to JMH, e.g. `bench/run.sh TokenBenchmark`.
set -euo pipefail
cd "$(dirname "$0")/.."
export MAVEN_ARGS="${MAVEN_ARGS:--B -ntp}"
./mvnw -q install -DskipTests -pl bench -am
./mvnw -q exec:exec -pl bench -Dbench.args="-rf json -rff $PWD/bench/target/jmh.json $*"
python3 - "$PWD/bench/target/jmh.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
score = {}
for r in runs:
    name = r["benchmark"].rsplit(".", 2)[-2:]
    key = ".".join(name) + "".join(f"[{v}]" for v in r.get("params", {}).values())
    score[key] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"])
print("\nscores (lower is faster)")
for k, (v, unit) in score.items():
    print(f"  {k:45} {v:12.2f} {unit}")
def ratio(label, a, b):
    if a in score and b in score:
        print(f"  {label:60} {score[a][0] / score[b][0]:10.2f}x")
print("\nratios")
for alg in ("RS256", "ES256", "EdDSA"):
    ratio(f"Latch sign / raw JCA sign ({alg})", f"TokenBenchmark.sign[{alg}]", f"RawJcaBenchmark.sign[{alg}]")
    ratio(f"Latch verify / raw JCA verify ({alg})", f"TokenBenchmark.verify[{alg}]", f"RawJcaBenchmark.verify[{alg}]")
for alg in ("ES256", "EdDSA"):
    ratio(f"RS256 sign / {alg} sign", "TokenBenchmark.sign[RS256]", f"TokenBenchmark.sign[{alg}]")
    ratio(f"{alg} verify / RS256 verify", f"TokenBenchmark.verify[{alg}]", "TokenBenchmark.verify[RS256]")
ratio("Argon2id password check / PAT check", "CredentialBenchmark.passwordArgon2id", "CredentialBenchmark.personalAccessToken")
ratio("Argon2id password check / RS256 access-token verify", "CredentialBenchmark.passwordArgon2id", "TokenBenchmark.verify[RS256]")
PY
