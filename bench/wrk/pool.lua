-- wrk: a pool of single-use tokens, each sent exactly once (refresh rotation). The pool is the file
-- BENCH_POOL, one token a line; thread i of n takes lines i, i+n, i+2n… When a thread has used its
-- share it stops (the round ends early rather than send a token twice) and says so in BENCH_POOL.<i>.left.
--   BENCH_FORMAT=latch     POST JSON {"refreshToken": …}        (Latch /v1/auth/refresh)
--   BENCH_FORMAT=keycloak  POST form grant_type=refresh_token&refresh_token=…  (+ BENCH_AUTH client auth)
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  local path = os.getenv("BENCH_POOL")
  format = os.getenv("BENCH_FORMAT") or "latch"
  tokens = {}
  local i = 0
  for line in io.lines(path) do
    if i % n == id and line ~= "" then
      tokens[#tokens + 1] = line
    end
    i = i + 1
  end
  next_token = 1
  wrk.method = "POST"
  if format == "latch" then
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    local auth = os.getenv("BENCH_AUTH")
    if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
  end
end

function request()
  local token = tokens[next_token]
  if token == nil then
    if not stopped then
      stopped = true
      local f = io.open(os.getenv("BENCH_POOL") .. "." .. id .. ".exhausted", "w")
      if f then f:write("exhausted\n") f:close() end
      wrk.thread:stop()
    end
    token = "exhausted"
  end
  next_token = next_token + 1
  if format == "latch" then
    return wrk.format(nil, nil, nil, '{"refreshToken":"' .. token .. '"}')
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end
