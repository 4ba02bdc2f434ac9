-- wrk script for bench/suite.sh. Environment:
--   BENCH_TOKEN  API token sent as "Authorization: Bearer ..." (none if empty)
--   BENCH_REQS   file of requests "METHOD<TAB>PATH[<TAB>JSON BODY]", one a line, sent in
--                turn (each wrk thread starts at its own offset); if unset, wrk's URL is used
-- Prints one line for the suite: RESULT req/s p50_ms p99_ms failed
-- (failed: non-2xx/3xx answers plus socket errors; a row with failures is not a clean measure).
local token = os.getenv("BENCH_TOKEN")
local file = os.getenv("BENCH_REQS")
local reqs, i, threads = {}, 0, 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  if file and file ~= "" then
    for line in io.lines(file) do
      local m, p, b = line:match("^(%S+)\t([^\t]+)\t?(.*)$")
      if m then reqs[#reqs + 1] = { m, p, b } end
    end
  end
  i = (tid or 0) * 7919
end

function request()
  local h = {}
  if token and token ~= "" then h["Authorization"] = "Bearer " .. token end
  if #reqs == 0 then return wrk.format(nil, nil, h) end
  local r = reqs[(i % #reqs) + 1]
  i = i + 1
  local body = nil
  if r[3] ~= "" then
    h["Content-Type"] = "application/json"
    body = r[3]
  end
  return wrk.format(r[1], r[2], h, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
