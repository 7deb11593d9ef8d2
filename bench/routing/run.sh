#!/usr/bin/env bash
# Routing at scale: for each N, writes a mock file of N endpoints (GET /api/v1/res{i}/items/:id|int, templated body)
# and a benchmark project compiling it (artifacts/bench/routing/nN), builds it in Release and runs
# RoutingScaleBenchmarks.cs: the generated service against ASP.NET Core endpoint routing with the same N routes, for
# the first, middle and last route. Results (BenchmarkDotNet markdown and CSV) go to artifacts/bench/routing/nN/results.
#
# With LOAD=1 it then serves both on Kestrel (each pinned to core 0; wrk on core 1) and loads the last route:
# requests per second and the server's CPU time per request (all, and user time alone), in rounds that measure every
# side back to back (in rotating order), with each side's median ratio to ASP.NET Core and a 95% interval for it; and
# each side's start-up (launch to the first 200 of the last route) and resident memory after the rounds.
#
#   bench/routing/run.sh               N = 10, 1000, 10000
#   bench/routing/run.sh 10 5000       other sizes
#   BUILD_ONLY=1 bench/routing/run.sh  write and build the projects, run nothing
#   LOAD=1 bench/routing/run.sh 1000   also the Kestrel load (LOAD_ONLY=1: only that; LOAD_SECONDS, LOAD_ROUNDS;
#                                      LOAD_JOURNAL_OFF_TOO=1 adds the mock with its request journal off;
#                                      LOAD_PAIRED=1 loads each side at the same time as ASP.NET Core, see below)
#
# Paired rounds (LOAD_PAIRED=1): each side and ASP.NET Core are loaded at the same time, both servers on core 0 and
# one wrk for each on core 1. The two processes share the core, so whatever slows the machine during the round slows
# both; the figure is each side's requests per CPU second over ASP.NET Core's in the same seconds. Sequential rounds
# (the default) measure one side at a time, as a user's load test would, and carry the machine's drift between them.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$repo/artifacts/bench/routing"
counts=("$@")
((${#counts[@]})) || counts=(10 1000 10000)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# awk functions for the summaries: the median of a[1..n], and a 95% interval for it that assumes nothing about the
# noise: the j-th smallest and the j-th largest value, with j the largest rank such that P(Binomial(n, 1/2) < j) <= 2.5%
# (3rd and 10th of 12; none below 6). An interval that holds 1.0 means the run cannot tell that side from ASP.NET Core.
ORDER_STATISTICS='
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function rank(n,   i, p, below) { p = 0.5 ^ n; below = 0
    for (i = 0; i < n; i++) { if (below + p > 0.025) return i; below += p; p = p * (n - i) / (i + 1) }
    return 0 }
  function interval(a, n,   j) { j = rank(n); return j < 1 ? "n/a" : sprintf("%.3f-%.3f", a[j], a[n + 1 - j]) }
'

# Loads the given sides at the same time (one wrk -t1 -c64 each, on core 1) for the given seconds; prints one line per
# side: "side requests req/s user-ticks system-ticks" (the server's CPU time over the same seconds). Uses load's pids,
# ports, dir and url_path.
measure() { # seconds side...
  local seconds=$1 side u s
  shift
  declare -A u0=() s0=() wrks=()
  for side; do read -r u0[$side] s0[$side] < <(awk '{ print $14, $15 }' "/proc/${pids[$side]}/stat"); done
  for side; do
    taskset -c 1 wrk -t1 -c64 -d"$seconds"s "http://127.0.0.1:${ports[$side]}$url_path" > "$dir/wrk-$side.txt" &
    wrks[$side]=$!
  done
  wait "${wrks[@]}"
  for side; do
    read -r u s < <(awk '{ print $14, $15 }' "/proc/${pids[$side]}/stat")
    echo "$side $(awk '/ requests in / { n = $1 } /Requests\/sec:/ { r = $2 } END { print n + 0, r + 0 }' "$dir/wrk-$side.txt") $((u - u0[$side])) $((s - s0[$side]))"
  done
}

# Kestrel load on the last route: prints "load endpoints=N side=S round=R rps=... cpu_us_per_request=...
# user_us_per_request=..." lines (paired: "paired endpoints=N side=S round=R rps=... baseline_rps=... cpu_efficiency=...
# user_efficiency=..."), then each side's median ratio to ASP.NET Core over the rounds and its 95% interval.
load() { # count dir
  local count=$1 dir=$2 seconds=${LOAD_SECONDS:-10} rounds=${LOAD_ROUNDS:-3}
  command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
  local url_path="/api/v1/res$((count - 1))/items/42" side pid hz
  hz=$(getconf CLK_TCK)
  local sides=(aspnetcore mock)
  # mock-journal-off: the same generated service with its request journal off (Moclojer:Requests:Capacity=0).
  [[ "${LOAD_JOURNAL_OFF_TOO:-0}" == 1 ]] && sides+=(mock-journal-off)
  declare -A ports=([aspnetcore]=9401 [mock]=9402 [mock-journal-off]=9403) pids=()
  declare -A modes=([aspnetcore]=aspnetcore [mock]=mock [mock-journal-off]=mock)
  declare -A envs=([aspnetcore]= [mock]= [mock-journal-off]=Moclojer__Requests__Capacity=0)
  # One side at a time: launch, poll the last route every 10 ms (start-up = launch to its first 200), warm up.
  for side in "${sides[@]}"; do
    local started ready
    started=$(date +%s%N)
    env ${envs[$side]} taskset -c 0 dotnet "$dir/bin/Release/net10.0/RoutingBench.dll" serve "${modes[$side]}" \
      --urls "http://127.0.0.1:${ports[$side]}" > "$dir/serve-$side.log" 2>&1 &
    pids[$side]=$!
    for ((i = 0; i < 6000; i++)); do
      curl -fs -o /dev/null "http://127.0.0.1:${ports[$side]}$url_path" && break
      sleep 0.01
    done
    ready=$(date +%s%N)
    kill -0 "${pids[$side]}" || { echo "$side server did not start: $dir/serve-$side.log" >&2; kill "${pids[@]}"; return 1; }
    echo "startup endpoints=$count side=$side ms=$(((ready - started) / 1000000)) rss_mib=$(($(awk '/VmRSS/ { print $2 }' "/proc/${pids[$side]}/status") / 1024))" \
      | tee -a "$work/load.txt"
    taskset -c 1 wrk -t1 -c64 -d"$seconds"s "http://127.0.0.1:${ports[$side]}$url_path" > /dev/null # warm-up
  done
  local results=() others=("${sides[@]:1}")
  if [[ "${LOAD_PAIRED:-0}" == 1 ]]; then
    # Two servers sharing a core are not one alone (more requests wait per wake-up): one unmeasured round per pair.
    for side in "${others[@]}"; do measure "$seconds" aspnetcore "$side" > /dev/null; done
  fi
  for ((round = 1; round <= rounds; round++)); do
    if [[ "${LOAD_PAIRED:-0}" == 1 ]]; then
      # Each other side at the same time as ASP.NET Core; the order of the pairs rotates.
      for ((k = 0; k < ${#others[@]}; k++)); do
        side=${others[$(((k + round) % ${#others[@]}))]}
        local line
        line="paired endpoints=$count side=$side round=$round $(measure "$seconds" aspnetcore "$side" | awk '
          { n[NR] = $2; rps[NR] = $3; cpu[NR] = $4 + $5; user[NR] = $4 }
          END { printf "rps=%s baseline_rps=%s cpu_efficiency=%.4f user_efficiency=%.4f", rps[2], rps[1],
            (n[2] / cpu[2]) / (n[1] / cpu[1]), (user[2] > 0 && user[1] > 0 ? (n[2] / user[2]) / (n[1] / user[1]) : 0) }')"
        echo "$line" | tee -a "$work/load.txt"
        results+=("$line")
      done
      continue
    fi
    # The order rotates, so no side is always the one measured right after another.
    for ((k = 0; k < ${#sides[@]}; k++)); do
      side=${sides[$(((k + round) % ${#sides[@]}))]}
      local line
      # CPU per request: the server's user + system time over the requests it answered; user time alone is the
      # application's share (the kernel's TCP work is the same for every side, and the noisiest part).
      line="load endpoints=$count side=$side round=$round $(measure "$seconds" "$side" | awk -v hz="$hz" '
        { printf "rps=%s cpu_us_per_request=%.2f user_us_per_request=%.2f", $3, ($2 > 0 ? ($4 + $5) * 1e6 / hz / $2 : 0), ($2 > 0 ? $4 * 1e6 / hz / $2 : 0) }')"
      echo "$line" | tee -a "$work/load.txt"
      results+=("$line")
    done
  done
  for side in "${sides[@]}"; do
    echo "memory endpoints=$count side=$side rss_mib=$(($(awk '/VmRSS/ { print $2 }' "/proc/${pids[$side]}/status") / 1024))" | tee -a "$work/load.txt"
  done
  kill "${pids[@]}" 2> /dev/null || true
  wait 2> /dev/null || true
  # Per round, each side against ASP.NET Core measured in the same round (paired: in the same seconds); the median
  # over the rounds and its 95% interval (ORDER_STATISTICS).
  if [[ "${LOAD_PAIRED:-0}" == 1 ]]; then
    printf '%s\n' "${results[@]}" | awk -v count="$count" "$ORDER_STATISTICS"'
      { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        n[v["side"]]++; cpu[v["side"], n[v["side"]]] = v["cpu_efficiency"]; rps[v["side"], n[v["side"]]] = v["rps"] / v["baseline_rps"] }
      END { for (s in n) { delete c; delete r
          for (k = 1; k <= n[s]; k++) { c[k] = cpu[s, k]; r[k] = rps[s, k] }
          printf "summary endpoints=%d side=%s paired_rounds=%d median_cpu_efficiency=%.3f cpu_efficiency_95=%s", count, s, n[s], median(c, n[s]), interval(c, n[s])
          printf " median_rps_ratio=%.3f rps_ratio_95=%s\n", median(r, n[s]), interval(r, n[s]) } }' \
      | tee -a "$work/load.txt"
    return
  fi
  printf '%s\n' "${results[@]}" | awk -v count="$count" "$ORDER_STATISTICS"'
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rps[v["side"], v["round"]] = v["rps"]; cpu[v["side"], v["round"]] = v["cpu_us_per_request"]; sides[v["side"]] = 1; last = v["round"] }
    END { for (s in sides) { if (s == "aspnetcore") continue; delete r; delete c
        for (k = 1; k <= last; k++) { r[k] = rps[s, k] / rps["aspnetcore", k]; c[k] = cpu["aspnetcore", k] / cpu[s, k] }
        printf "summary endpoints=%d side=%s rounds=%d median_rps_ratio=%.3f median_cpu_efficiency=%.3f", count, s, last, median(r, last), median(c, last)
        printf " rps_ratio_95=%s cpu_efficiency_95=%s\n", interval(r, last), interval(c, last) } }' \
    | tee -a "$work/load.txt"
}

for count in "${counts[@]}"; do
  dir="$work/n$count"
  mkdir -p "$dir"
  {
    echo "# generated by bench/routing/run.sh: $count endpoints"
    for ((i = 0; i < count; i++)); do
      printf -- "- endpoint:\n    path: /api/v1/res%d/items/:id|int\n    response:\n      body: '{\"resource\": %d, \"id\": {{path-params.id}}}'\n" "$i" "$i"
    done
  } > "$dir/mocks.yml.new"
  # Unchanged files keep their time stamp, so a second run does not compile thousands of endpoints again.
  if cmp -s "$dir/mocks.yml.new" "$dir/mocks.yml"; then rm "$dir/mocks.yml.new"; else mv "$dir/mocks.yml.new" "$dir/mocks.yml"; fi
  cat > "$dir/RoutingBench.csproj.new" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <IsPackable>false</IsPackable>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <!-- The generated entry point too (RoutingBench serve mock runs it as it is), beside this project's own. -->
    <MoclojerGenerateEntryPoint>true</MoclojerGenerateEntryPoint>
    <StartupObject>Moclojer.Routing.Benchmarks.RoutingBenchProgram</StartupObject>
  </PropertyGroup>
  <ItemGroup>
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
    <PackageReference Include="BenchmarkDotNet" Version="0.15.8" />
    <AdditionalFiles Include="mocks.yml" />
    <Compile Include="$repo/bench/routing/*.cs;$repo/bench/Shared/*.cs" />
  </ItemGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/Moclojer.Generators.Runtime/Moclojer.Generators.Runtime.csproj" />
    <ProjectReference Include="$repo/src/Moclojer.Generators/Moclojer.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
  <Import Project="$repo/build/Moclojer.Generators.props" />
  <Import Project="$repo/build/Moclojer.Generators.targets" />
</Project>
XML
  if cmp -s "$dir/RoutingBench.csproj.new" "$dir/RoutingBench.csproj"; then rm "$dir/RoutingBench.csproj.new"; else mv "$dir/RoutingBench.csproj.new" "$dir/RoutingBench.csproj"; fi
  echo "== n=$count: build"
  dotnet build "$dir" -c Release > "$dir/build.log" 2>&1 || { echo "build failed: $dir/build.log" >&2; exit 1; }
  [[ "${BUILD_ONLY:-0}" == 1 ]] && continue
  if [[ "${LOAD_ONLY:-0}" != 1 ]]; then
    echo "== n=$count: run"
    (cd "$dir" && dotnet "bin/Release/net10.0/RoutingBench.dll" --filter '*RoutingScaleBenchmarks*' \
      --artifacts "$dir/results" > "$dir/run.log" 2>&1) || { echo "benchmark failed: $dir/run.log" >&2; exit 1; }
    cat "$dir/results/results/"*RoutingScaleBenchmarks-report-github.md
  fi
  [[ "${LOAD:-0}" == 1 || "${LOAD_ONLY:-0}" == 1 ]] && load "$count" "$dir"
done
