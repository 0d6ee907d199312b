-- POST /api/v1/auth/login with the bench user's password (bench/run sets BENCH_PASSWORD).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"bench","password":"' .. os.getenv("BENCH_PASSWORD") .. '"}'
