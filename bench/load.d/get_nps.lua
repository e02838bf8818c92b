-- bench/load.d/get_nps.lua: GET the URL given to wrk (e.g. /api/v1/nps?by=month) with the
-- Bearer token from LOAD_TOKEN, counting non-2xx replies (see common.lua).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("LOAD_TOKEN"), "LOAD_TOKEN is not set")
