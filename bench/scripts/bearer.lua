-- Sends the bench session's Bearer token (bench/run sets BENCH_TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
