-- Assign then unassign: even requests POST an assignment of a worker to the
-- bench shift, odd ones DELETE the assignment made 32 pairs earlier (so the
-- POST has long finished even with every connection busy). Each wrk thread
-- cycles through its own share of the workers. bench/run sets BENCH_TOKEN,
-- BENCH_SHIFT, BENCH_PAIR_FIRST (first worker id), BENCH_PAIRS and
-- BENCH_WRK_THREADS.
local token = os.getenv("BENCH_TOKEN")
local shift = os.getenv("BENCH_SHIFT")
local first = tonumber(os.getenv("BENCH_PAIR_FIRST"))
local share = math.floor(tonumber(os.getenv("BENCH_PAIRS")) / tonumber(os.getenv("BENCH_WRK_THREADS")))
local lag = 32
local index = 0
local n = 0
base = 0   -- set per thread by setup() (a global: thread:set writes globals)

function setup(thread)
	thread:set("base", index * share)
	index = index + 1
end

function request()
	local k = math.floor(n / 2)
	local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
	local req
	if n % 2 == 0 then
		local user = first + base + (k % share)
		req = wrk.format("POST", "/api/v1/shifts/" .. shift .. "/assignments", headers,
			'{"user_id":' .. user .. ',"role":"general","force":true}')
	else
		local user = first + base + ((k - lag) % share)
		req = wrk.format("DELETE", "/api/v1/shifts/" .. shift .. "/assignments/" .. user .. "/general", headers)
	end
	n = n + 1
	return req
end
