-- wrk: the same POST on every request. Body, content type and Authorization come from the environment
-- (BENCH_BODY, BENCH_CTYPE, BENCH_AUTH), so one script drives every fixed-body path of bench/run-all.sh.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/x-www-form-urlencoded"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
