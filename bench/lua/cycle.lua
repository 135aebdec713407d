-- wrk script of bench/run: POSTs the request bodies of the file named by
-- BENCH_BODIES (one JSON body a line) in turn, each thread from its own
-- offset, with `Authorization: Bearer $BENCH_TOKEN` when that is set.

local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local bodies = {}
local next_body = 0

function init(args)
  local path = os.getenv("BENCH_BODIES")
  if not path then error("BENCH_BODIES is not set") end
  for line in io.lines(path) do
    if line ~= "" then bodies[#bodies + 1] = line end
  end
  if #bodies == 0 then error("no request bodies in " .. path) end
  next_body = (offset or 0) % #bodies
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  local token = os.getenv("BENCH_TOKEN")
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
