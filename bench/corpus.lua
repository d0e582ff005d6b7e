-- wrk script: replays the signed Twilio requests of bench/gen_corpus.py.
--
-- Each wrk thread loads its own stream once (BENCH_CORPUS_DIR/corpus.<thread>.req: "<length>\n<raw
-- HTTP request>" records) and sends it in order from BENCH_OFFSETS (comma-separated start position per
-- thread, so that successive levels continue the streams instead of re-sending them). Past the end it
-- starts again at 0: those requests are re-deliveries, which the service stores as duplicates (204/200,
-- nothing written). done() prints machine-readable lines for run.sh:
--   BENCH_THREAD <id> <next position> <requests built> <wrapped 0|1> <non-2xx responses>
--   BENCH_STATUS <code> <count>
--   BENCH_RESULT requests=... duration_us=... rps=... p50_us=... p99_us=... p999_us=... max_us=...
--                errors=... non2xx=... connect=... read=... write=... timeout=...
--
-- BENCH_RATE_PER_THREAD (requests per second), when set, paces each thread to that rate instead of sending
-- as fast as the connections allow: the requests of a thread are scheduled at fixed intervals on a monotonic
-- clock and a free connection waits (wrk's delay()) until the next one is due. Latency is measured by wrk
-- from the actual send; with connections to spare (the run at half the maximum throughput) every request
-- goes out when scheduled, so the figure is not flattered by a closed loop waiting for slow answers. If the
-- service falls behind, the schedule slips rather than bursting, and the achieved rate (rps) shows it.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local dir = os.getenv("BENCH_CORPUS_DIR") or error("BENCH_CORPUS_DIR is not set")
   local offsets = {}
   for n in string.gmatch(os.getenv("BENCH_OFFSETS") or "", "%d+") do
      table.insert(offsets, tonumber(n))
   end
   local path = dir .. "/corpus." .. id .. ".req"
   local f = io.open(path, "rb") or error("cannot open " .. path)
   reqs = {}
   while true do
      local header = f:read("*l")
      if not header then break end
      reqs[#reqs + 1] = f:read(tonumber(header))
   end
   f:close()
   count = #reqs
   idx = offsets[id + 1] or 0
   if idx >= count then idx = idx % count; wrapped = 1 else wrapped = 0 end
   built = 0
   non2xx = 0
   statuses = {}
   -- wrk calls request() once on the first thread to check the script, and does not send that request.
   -- Hand it the current request without advancing, so every position is really sent.
   verify_pending = (id == 0)
end

local rate = tonumber(os.getenv("BENCH_RATE_PER_THREAD") or "")
if rate and rate > 0 then
   local ffi = require("ffi")
   ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock_id, bench_timespec *tp);
   ]]
   local CLOCK_MONOTONIC = 1
   local ts = ffi.new("bench_timespec")
   local function now_ms()
      ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
   end
   local interval_ms = 1000 / rate
   local next_send

   function delay()
      local now = now_ms()
      if next_send == nil or next_send < now - interval_ms then
         next_send = now   -- first request, or behind schedule: slip instead of bursting
      end
      local wait = next_send - now
      next_send = next_send + interval_ms
      return math.floor(wait)
   end
end

function request()
   local r = reqs[idx + 1]
   if verify_pending then
      verify_pending = false
      return r
   end
   idx = idx + 1
   built = built + 1
   if idx >= count then
      idx = 0
      wrapped = 1
   end
   return r
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local errors = 0
   local codes = {}
   for _, t in ipairs(threads) do
      io.write(string.format("BENCH_THREAD %d %d %d %d %d\n", t:get("id"), t:get("idx"), t:get("built"),
                             t:get("wrapped"), t:get("non2xx")))
      errors = errors + t:get("non2xx")
      for code, n in pairs(t:get("statuses")) do
         codes[code] = (codes[code] or 0) + n
      end
   end
   for code, n in pairs(codes) do
      io.write(string.format("BENCH_STATUS %d %d\n", code, n))
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.0f "
         .. "errors=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean,
      errors + socket_errors, errors, e.connect, e.read, e.write, e.timeout))
end
