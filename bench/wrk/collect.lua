-- wrk: prepares a token pool. Sends the fixed POST of post.lua (BENCH_BODY, BENCH_CTYPE, BENCH_AUTH) and
-- appends the refresh token of each 200 answer (JSON member BENCH_FIELD) to BENCH_OUT.<thread>, one a line;
-- a thread stops once it has BENCH_QUOTA tokens.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY") or ""
  wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/x-www-form-urlencoded"
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
  field = os.getenv("BENCH_FIELD") or "refreshToken"
  quota = tonumber(os.getenv("BENCH_QUOTA") or "1000")
  out = io.open(os.getenv("BENCH_OUT") .. "." .. id, "w")
  out:setvbuf("line")
  got = 0
end

function response(status, headers, body)
  if status == 200 and got < quota then
    local token = body:match('"' .. field .. '"%s*:%s*"([^"]+)"')
    if token then
      out:write(token, "\n")
      got = got + 1
      if got >= quota then
        out:flush()
        wrk.thread:stop()
      end
    end
  end
end
