-- bench/load.d/common.lua: shared by the wrk scripts of bench/load.
--
-- Each wrk thread counts the responses it sees by class: 2xx, non-2xx, and for POSTs the 200
-- "every answer was a duplicate" replies and the 2xx replies that rejected some answers (a
-- non-empty "rejected" list); done() adds them up over the threads and prints
--   load-result: requests=N ok=K duration_s=S rps=R p50_ms=A ... non2xx=E dup=D rejected=J socket_errors=X
-- which bench/load reads. wrk's own report (with --latency) is printed above it.
-- Defining response() makes wrk parse every reply; that costs a little client CPU, but errors
-- must be visible.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

ok2xx = 0
non2xx = 0
dup = 0
rejected = 0
first_error = nil

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
    if wrk.method == "POST" then
      if status == 200 then dup = dup + 1 end
      if body and not string.find(body, '"rejected":%s*%[%s*%]') then
        rejected = rejected + 1
        if first_error == nil then first_error = tostring(status) .. " " .. string.sub(body, 1, 300) end
      end
    end
  else
    non2xx = non2xx + 1
    if first_error == nil then
      first_error = tostring(status) .. " " .. string.sub(tostring(body or ""), 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local total_non2xx, total_dup, total_rejected, total_ok, first = 0, 0, 0, 0, nil
  for _, t in ipairs(threads) do
    total_non2xx = total_non2xx + (t:get("non2xx") or 0)
    total_dup = total_dup + (t:get("dup") or 0)
    total_rejected = total_rejected + (t:get("rejected") or 0)
    total_ok = total_ok + (t:get("ok2xx") or 0)
    if first == nil then first = t:get("first_error") end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("non-2xx responses: %d, duplicate-only POSTs: %d, POSTs with rejected answers: %d, " ..
                         "socket errors: %d (connect %d, read %d, write %d, timeout %d)\n",
                         total_non2xx, total_dup, total_rejected, socket_errors,
                         e.connect, e.read, e.write, e.timeout))
  if first ~= nil then io.write("first bad response: " .. first .. "\n") end
  io.write(string.format("load-result: requests=%d ok=%d duration_s=%.3f rps=%.1f p50_ms=%.3f " ..
                         "p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d dup=%d rejected=%d socket_errors=%d\n",
                         summary.requests, total_ok, seconds, summary.requests / seconds,
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, latency.max / 1000,
                         total_non2xx, total_dup, total_rejected, socket_errors))
end
