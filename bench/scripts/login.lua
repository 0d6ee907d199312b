-- POST /api/v1/auth/login, cycling through 64 accounts that share the bench
-- password (bench/run makes them and sets BENCH_PASSWORD): one account
-- signing in 32 times at once would be throttled, by design.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local password = os.getenv("BENCH_PASSWORD")
local n = 0

function request()
	n = n + 1
	return wrk.format(nil, nil, nil,
		'{"username":"login' .. (n % 64) .. '","password":"' .. password .. '"}')
end
