-- Crew-chief clock actions: POST /api/v1/shifts/{id}/clock as the bench crew
-- chief. bench/run sets BENCH_CHIEF_TOKEN, BENCH_CLOCK_FILE (lines "shift user"),
-- BENCH_CLOCK_SLICE (this run's number), BENCH_CLOCK_RUNS and BENCH_WRK_THREADS.
-- Each wrk thread of each run walks its own slice of the assignments: one pass
-- clocks every one of them in, the next pass clocks them out, so an
-- assignment's in and out are a whole slice apart and never race. Threads
-- start their walk at different points so that they work on different shifts.
local counter = 0

function setup(thread)
	thread:set("index", counter)
	counter = counter + 1
end

function init(args)
	local all = {}
	for line in io.lines(os.getenv("BENCH_CLOCK_FILE")) do
		local shift, user = line:match("(%d+) (%d+)")
		all[#all + 1] = { shift, user }
	end
	local threads = tonumber(os.getenv("BENCH_WRK_THREADS"))
	local slices = threads * tonumber(os.getenv("BENCH_CLOCK_RUNS"))
	local slice = tonumber(os.getenv("BENCH_CLOCK_SLICE")) * threads + index
	local size = math.floor(#all / slices)
	mine = {}
	for i = slice * size + 1, (slice + 1) * size do
		mine[#mine + 1] = all[i]
	end
	start = 1 + math.floor(size * index / threads)
	position, pass = start, 0
	headers = {
		["Authorization"] = "Bearer " .. os.getenv("BENCH_CHIEF_TOKEN"),
		["Content-Type"] = "application/json",
	}
end

function request()
	local a = mine[position]
	local action = pass % 2 == 0 and "in" or "out"
	position = position % #mine + 1
	if position == start then
		pass = pass + 1
	end
	return wrk.format("POST", "/api/v1/shifts/" .. a[1] .. "/clock", headers,
		'{"user_id":' .. a[2] .. ',"role":"stagehand","action":"' .. action .. '"}')
end
