-- bench/load.d/post_responses.lua: POST /api/v1/responses with valid answers, each with a
-- unique (source, external_id): "<LOAD_RUN>-<thread>-<counter>-<item>".
--
-- Environment: LOAD_TOKEN (an integration user's API token), LOAD_UNITS (comma-separated
-- open unit codes), LOAD_BATCH (answers per request, default 1: a single object; more: an
-- array), LOAD_RUN (a tag making the ids unique per phase).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("LOAD_TOKEN"), "LOAD_TOKEN is not set")

local batch = tonumber(os.getenv("LOAD_BATCH") or "1")
local run = os.getenv("LOAD_RUN") or "load"
local units = {}
for code in string.gmatch(os.getenv("LOAD_UNITS") or "", "[^,]+") do table.insert(units, code) end
assert(#units > 0, "LOAD_UNITS is empty")

local channels = {"sms", "web", "paper", "kiosk"}
local languages = {"fi", "fi", "fi", "sv", "en", "other"}
local visit_types = {"outpatient", "inpatient", "emergency", "remote", "other"}
local age_groups = {"0-17", "18-29", "30-44", "45-64", "65-74", "75+", "unknown"}
local comments = {
  "Hyvää ja ystävällistä palvelua, kiitos!",
  "Jouduin odottamaan 2 tuntia, soittakaa 040 123 4567",
  "Bra bemötande men lång väntetid.",
  "Clear instructions, friendly nurse.",
}
-- Mostly promoters, like real answers (NPS about +40).
local scores = {10, 9, 10, 8, 9, 10, 7, 9, 10, 6, 3, 10, 9, 8, 5, 10, 0, 9, 10, 8}
local now = os.time()
local counter = 0

local function answer(i)
  counter = counter + 1
  local n = counter
  -- Spread over the last 30 days, never in the future.
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", now - 60 - (n * 7919 + thread_id * 104729) % (30 * 86400))
  local comment = ""
  if n % 3 == 0 then
    comment = string.format(',"comment":"%s"', comments[n % #comments + 1])
  end
  return string.format(
    '{"source":"load","external_id":"%s-%d-%d","survey":"patient","unit":"%s","answered_at":"%s",' ..
    '"channel":"%s","language":"%s","visit_type":"%s","age_group":"%s","score":%d%s}',
    run, thread_id, n, units[(n + thread_id) % #units + 1], at, channels[n % #channels + 1],
    languages[n % #languages + 1], visit_types[n % #visit_types + 1], age_groups[n % #age_groups + 1],
    scores[(n * 7 + thread_id) % #scores + 1], comment)
end

function request()
  local body
  if batch <= 1 then
    body = answer(0)
  else
    local items = {}
    for i = 1, batch do items[i] = answer(i) end
    body = "[" .. table.concat(items, ",") .. "]"
  end
  return wrk.format(nil, nil, nil, body)
end
