-- Assign then unassign: even requests POST an assignment of worker k to the
-- bench shift, odd ones DELETE the assignment made 32 pairs earlier (so the
-- POST has long finished even with every connection busy). bench/run sets
-- BENCH_TOKEN, BENCH_SHIFT, BENCH_PAIR_FIRST (first worker id), BENCH_PAIRS.
local token = os.getenv("BENCH_TOKEN")
local shift = os.getenv("BENCH_SHIFT")
local first = tonumber(os.getenv("BENCH_PAIR_FIRST"))
local pairs_n = tonumber(os.getenv("BENCH_PAIRS"))
local lag = 32
local n = 0
local offset = 0

function setup(thread)
	thread:set("offset", offset)
	offset = offset + 100000
end

function init(args)
	n = offset
end

function request()
	local k = math.floor(n / 2)
	local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
	local req
	if n % 2 == 0 then
		local user = first + (k % pairs_n)
		req = wrk.format("POST", "/api/v1/shifts/" .. shift .. "/assignments", headers,
			'{"user_id":' .. user .. ',"role":"general","force":true}')
	else
		local user = first + ((k - lag) % pairs_n)
		req = wrk.format("DELETE", "/api/v1/shifts/" .. shift .. "/assignments/" .. user .. "/general", headers)
	end
	n = n + 1
	return req
end
