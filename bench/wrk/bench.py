#!/usr/bin/env python3
"""Helper of bench/run-all.sh: CPU/RSS snapshots from /proc, wrk output parsing, S3 calls through the AWS
SDK for Python (boto3), and the RESULTS.md report.

  bench.py ticks PID                 server and PostgreSQL CPU ticks, server RSS (one JSON line)
  bench.py round SYS PATH N WRK_OUT BEFORE AFTER [EXHAUSTED]   one JSON line of a wrk round
  bench.py s3 put FILE KEY | s3 presign KEY | s3 delete KEY      S3 via boto3 (BENCH_S3_* env)
  bench.py report DIR [FILE]         RESULTS.md from DIR/*.jsonl and DIR/meta.json, on stdout or into FILE
                                     (keeping FILE's sections of other scripts, e.g. the Soak section of bench/soak.sh)
"""
import json
import os
import re
import statistics
import sys
import time

TCK = os.sysconf("SC_CLK_TCK")


def proc_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)


def rss_kib(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def postgres_ticks():
    """utime+stime of every postgres process now, by pid (backends of pooled connections live across a round)."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
            out[pid] = proc_ticks(pid)
        except OSError:
            pass
    return out


def cmd_ticks(pid):
    print(json.dumps({"t": time.time(), "server": proc_ticks(pid), "rss_kib": rss_kib(pid),
                      "pg": postgres_ticks()}))


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(value):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(text):
    r = {}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    if m:
        r["requests"] = int(m.group(1))
        r["duration_s"] = ms(m.group(2) + m.group(3)) / 1000.0
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        r[f"p{pct}_ms"] = ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return r


def cmd_round(system, path, n, wrk_out, before, after, exhausted=""):
    b, a = json.loads(before), json.loads(after)
    r = {"system": system, "path": path, "round": int(n)}
    r.update(parse_wrk(open(wrk_out).read()))
    req = max(r.get("requests", 0), 1)
    server_s = (a["server"] - b["server"]) / TCK
    pg_s = sum(t - b["pg"].get(pid, 0) for pid, t in a["pg"].items()) / TCK
    r.update({"server_cpu_s": round(server_s, 2), "pg_cpu_s": round(pg_s, 2),
              "server_cpu_s_per_1000": round(server_s * 1000 / req, 3),
              "pg_cpu_s_per_1000": round(pg_s * 1000 / req, 3),
              "rss_mib": round(a["rss_kib"] / 1024), "pool_exhausted": exhausted == "yes"})
    print(json.dumps(r))


def s3_client():
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=os.environ["BENCH_S3_ENDPOINT"], region_name="us-east-1",
                        aws_access_key_id=os.environ["BENCH_S3_IDENTITY"],
                        aws_secret_access_key=os.environ["BENCH_S3_CREDENTIAL"],
                        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                                      request_checksum_calculation="when_required",
                                      response_checksum_validation="when_required"))


def cmd_s3(op, *args):
    s3 = s3_client()
    bucket = os.environ["BENCH_S3_BUCKET"]
    if op == "put":  # times only the PUT (client built, file opened), as curl's time_total does for the service
        path, key = args
        with open(path, "rb") as body:
            start = time.perf_counter()
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/octet-stream")
            print(f"{time.perf_counter() - start:.3f}")
    elif op == "presign":
        print(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": args[0]}, ExpiresIn=900))
    elif op == "delete":
        s3.delete_object(Bucket=bucket, Key=args[0])


def load(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, float) and v >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def ratio(a, b, digits=2):
    return f"{a / b:.{digits}f}×" if a and b else "—"


PATHS = [("client_credentials", "client_credentials grant"), ("introspection", "introspection of an access token"),
         ("refresh", "refresh rotation"), ("signin", "password sign-in (Argon2id, same parameters)"),
         ("jwks", "JWKS")]


def cmd_report(d, existing=None):
    meta = json.load(open(os.path.join(d, "meta.json")))
    rounds = load(os.path.join(d, "rounds.jsonl"))
    starts = load(os.path.join(d, "startup.jsonl"))
    storage = load(os.path.join(d, "storage.jsonl"))
    o = []
    w = o.append
    w("# Latch vs Keycloak — results of `bench/run-all.sh`\n")
    if meta.get("note"):
        w(f"> {meta['note']}\n")
    w("| | |\n|---|---|")
    for k in ("date", "commit", "machine", "cpu", "ram", "jdk", "keycloak", "duration", "settings"):
        if meta.get(k):
            w(f"| {k} | {meta[k]} |")
    w("")
    w("Ratios are Latch / Keycloak of the medians over the rounds. CPU is utime+stime of the server's JVM "
      "(from `/proc/<pid>/stat`) and of every PostgreSQL process, per 1000 requests (all requests wrk "
      "counted, non-2xx included). RSS is the server's after the round.\n")
    w("## Summary\n")
    w("| path | Latch req/s | Keycloak req/s | ratio | Latch p50 / p99 ms | Keycloak p50 / p99 ms | "
      "server CPU s/1000, Latch / Keycloak | PostgreSQL CPU s/1000, Latch / Keycloak |")
    w("|---|---:|---:|---:|---|---|---|---|")
    for key, label in PATHS:
        L = [r for r in rounds if r["path"] == key and r["system"] == "latch"]
        K = [r for r in rounds if r["path"] == key and r["system"] == "keycloak"]
        if not L and not K:
            continue
        g = lambda rs, f: med([r.get(f) for r in rs])
        w(f"| {label} | {fmt(g(L, 'rps'))} | {fmt(g(K, 'rps'))} | {ratio(g(L, 'rps'), g(K, 'rps'))} | "
          f"{fmt(g(L, 'p50_ms'), 2)} / {fmt(g(L, 'p99_ms'), 2)} | {fmt(g(K, 'p50_ms'), 2)} / {fmt(g(K, 'p99_ms'), 2)} | "
          f"{fmt(g(L, 'server_cpu_s_per_1000'), 2)} / {fmt(g(K, 'server_cpu_s_per_1000'), 2)} | "
          f"{fmt(g(L, 'pg_cpu_s_per_1000'), 2)} / {fmt(g(K, 'pg_cpu_s_per_1000'), 2)} |")
    short = [r for r in rounds if r.get("pool_exhausted")]
    if short:
        w("")
        w(f"{len(short)} refresh round(s) used up their share of the token pool before the {rounds[0].get('duration_s', 0):.0f} s "
          "ended and stopped there (wrk reports over the time it ran): " + ", ".join(
              f"{r['system']} #{r['round']} {r.get('requests', 0)} requests in {r.get('duration_s', 0):.1f} s" for r in short)
          + ". A larger pool (BENCH_LATCH_POOL, BENCH_KC_POOL, BENCH_POOL_SECONDS) gives full-length rounds.")
    w("")
    if starts:
        w("## Start to ready and RSS after start\n")
        w("Each service started alone (the others idle), timed from the process start to the first 200 of its "
          "readiness endpoint (`/q/health/ready`; Keycloak `/health/ready` on its management port). *first*: "
          "on an empty database (migrations); *restart*: again on the now migrated database.\n")
        w("| service | start | seconds | RSS after start MiB |")
        w("|---|---|---:|---:|")
        for s in starts:
            w(f"| {s['service']} | {s['kind']} | {s['seconds']:.2f} | {s['rss_mib']} |")
        w("")
    if storage:
        w("## Storage (S3Proxy)\n")
        w("Same file, same S3Proxy (filesystem store, signatures checked). Through storage-service: `curl` "
          "multipart (`-F file=@…`) or raw body (`-T … -X POST ?filename=`) to `/api/v1/attachments` (S3 backend); "
          "direct: one `put_object` of the AWS SDK for Python (boto3). Downloads: the attachment's signed "
          "`/file/…` URL in PROXY delivery (storage-service streams) vs a presigned GET of the same object "
          "straight from S3Proxy, both with `curl`. MiB/s = size / wall time.\n")
        w("| case | size MiB | round | seconds | MiB/s | storage-service RSS after MiB |")
        w("|---|---:|---:|---:|---:|---:|")
        for s in storage:
            w(f"| {s['case']} | {s['mib']} | {s['round']} | {s['seconds']:.3f} | {s['mib'] / s['seconds']:.0f} | "
              f"{s.get('rss_mib', '—')} |")
        w("")
        w("| comparison | size MiB | median MiB/s through the service | median MiB/s direct | ratio |")
        w("|---|---:|---:|---:|---:|")
        for svc, direct, label in (("upload multipart", "direct PUT", "upload, multipart vs direct PUT"),
                                   ("upload raw body", "direct PUT", "upload, raw body vs direct PUT"),
                                   ("download PROXY", "download presigned", "download, PROXY vs presigned GET")):
            for mib in sorted({s["mib"] for s in storage}):
                a = med([s["mib"] / s["seconds"] for s in storage if s["case"] == svc and s["mib"] == mib])
                b = med([s["mib"] / s["seconds"] for s in storage if s["case"] == direct and s["mib"] == mib])
                if a and b:
                    w(f"| {label} | {mib} | {a:.0f} | {b:.0f} | {a / b:.2f}× |")
        w("")
    w("## Every round\n")
    w("| path | system | round | req/s | p50 ms | p99 ms | requests | non-2xx | socket errors | server CPU s | "
      "server CPU s/1000 | PostgreSQL CPU s/1000 | RSS MiB |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rounds:
        note = " (pool used up: round ended early)" if r.get("pool_exhausted") else ""
        w(f"| {r['path']}{note} | {r['system']} | {r['round']} | {fmt(r['rps'])} | {fmt(r['p50_ms'], 2)} | "
          f"{fmt(r['p99_ms'], 2)} | {r.get('requests', 0)} | {r['non2xx']} | {r['socket_errors']} | "
          f"{r['server_cpu_s']} | {r['server_cpu_s_per_1000']} | {r['pg_cpu_s_per_1000']} | {r['rss_mib']} |")
    w("")
    if meta.get("notes"):
        w("## Setup and notes\n")
        for n in meta["notes"]:
            w(f"- {n}")
        w("")
    if meta.get("commands"):
        w("## Commands\n")
        w("```")
        for c in meta["commands"]:
            w(c)
        w("```")
    text = "\n".join(o) + "\n"
    # sections other scripts keep in the same file (bench/soak.sh's "## Soak") stay as they were
    if existing and os.path.exists(existing):
        mine = {line.strip() for line in "\n".join(o).splitlines() if line.startswith("## ")}
        old = open(existing).read()
        kept = [m.group(0).rstrip() for m in re.finditer(r"^## .*?(?=^## |\Z)", old, flags=re.S | re.M)
                if m.group(0).splitlines()[0].strip() not in mine]
        if kept:
            text += "\n" + "\n\n".join(kept) + "\n"
    if existing:
        open(existing, "w").write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    cmd, *rest = sys.argv[1:]
    {"ticks": cmd_ticks, "round": cmd_round, "s3": cmd_s3, "report": cmd_report}[cmd](*rest)
