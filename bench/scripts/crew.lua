-- Sends the seeded crew member's Bearer token (bench/run sets BENCH_CREW_TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_CREW_TOKEN")
