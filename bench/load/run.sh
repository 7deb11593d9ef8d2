#!/usr/bin/env bash
# Load benchmarks: the generated mock service against a hand-written minimal API with the same routes (and
# WireMock.Net), each server pinned to core 0 and wrk / the driver to core 1, all on 127.0.0.1. Writes the load
# section of docs/performance.md (between its markers). Every load step is bounded in time and in count.
#
#   bench/load/run.sh                 full run: 30 s warm-up, 3 x 15 s per route and server
#   bench/load/run.sh --quick         5 s warm-up, 1 x 5 s, fewer webhooks (a smoke run, noisy)
#   bench/load/run.sh --throughput-only --no-wiremock --repeats 5   default-configuration ratios only (a few minutes)
#   options: --warmup S  --duration S  --repeats N  --connections N  --no-aot  --no-build-cost  --no-wiremock
#            --throughput-only (no start-up, webhook or build-cost steps)  --out FILE
#            --webhooks-only (only the webhook step: --repeats rounds of hand-written then generated; and pending)
#            --no-pending (no 1,000,000-pending step)
#            --no-journal-too (also measure the mock service with its request journal off, beside the default one)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
load="$repo/bench/load"
art="$repo/artifacts/bench"
warmup=30 duration=15 repeats=3 connections=64 aot=1 build_cost=1 mode=full
webhook_count=20000 webhook_warmup=10000 pending=1000000
wiremock=1 nojournal=0 throughput_only=0 webhooks_only=0 pending_step=1
out="$repo/docs/performance.md"
while (($#)); do
  case "$1" in
    --quick) mode=quick; warmup=5; duration=5; repeats=1; webhook_count=5000; webhook_warmup=5000 ;;
    --warmup) warmup=$2; shift ;;
    --duration) duration=$2; shift ;;
    --repeats) repeats=$2; shift ;;
    --connections) connections=$2; shift ;;
    --no-aot) aot=0 ;;
    --no-build-cost) build_cost=0 ;;
    --no-wiremock) wiremock=0 ;;
    --no-journal-too) nojournal=1 ;;
    --throughput-only) throughput_only=1; build_cost=0; aot=0 ;;
    --webhooks-only) webhooks_only=1; build_cost=0; aot=0; wiremock=0 ;;
    --no-pending) pending_step=0 ;;
    --out) out=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
servers=(baseline generated)
if ((nojournal)); then servers+=(generated-nojournal); fi
if ((wiremock)); then servers+=(wiremock); fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$art/logs"
results="$art/results.txt"
: > "$results"

if ! command -v wrk > /dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
if ((aot)) && ! command -v clang > /dev/null; then
  echo "clang not found: skipping Native AOT (apt-get install -y clang to include it)" >&2
  aot=0
fi
if (($(nproc) < 2)); then
  echo "needs at least 2 cores (server on core 0, load on core 1)" >&2
  exit 1
fi

echo "== build (Release)"
for p in Baseline MockService WireMockServer Driver; do
  dotnet build "$load/$p" -c Release > "$art/logs/build-$p.log" 2>&1 || { echo "build of $p failed (see $art/logs/build-$p.log)" >&2; exit 1; }
done
bin() { echo "$load/$1/bin/Release/net10.0/$1"; }
driver="$(bin Driver)"
if ((aot)); then
  for p in Baseline MockService; do
    dotnet publish "$load/$p" -c Release -p:BenchAot=true -o "$art/aot/$p" > "$art/logs/publish-aot-$p.log" 2>&1 \
      || { echo "AOT publish of $p failed (see $art/logs/publish-aot-$p.log); skipping AOT" >&2; aot=0; }
  done
fi

# The mock service runs as a user writes it: no appsettings.json, default logging and options. Only the pending
# test raises MaxPending (default 100,000) and MaxPendingBytes (default 64 MiB) to hold its webhooks.

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; }
trap cleanup EXIT

start() { # name port command...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" > "$art/logs/server-$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for ((i = 0; i < 300; i++)); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/static"; then
      # Another process answering on the port would be measured in its place.
      kill -0 "$pid" 2> /dev/null || { echo "$name exited; is port $port taken? (see $art/logs/server-$name.log)" >&2; exit 1; }
      echo "$pid"
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not answer on port $port within 30 s (see $art/logs/server-$name.log)" >&2
  exit 1
}
stop() { kill "$1" 2> /dev/null || true; wait "$1" 2> /dev/null || true; }

# wrk: prints "<req/s> <p99 ms> <requests>"
run_wrk() { # url seconds
  taskset -c 1 wrk -t1 -c"$connections" -d"${2}s" --timeout 5s --latency "$1" > "$art/logs/wrk.tmp" 2>&1 || true
  awk '
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                  p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
    END { printf "%s %s %s\n", (rps == "" ? "0" : rps), (p99 == "" ? "NaN" : p99), (n == "" ? "0" : n) }' "$art/logs/wrk.tmp"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # pid: user + system clock ticks so far

declare -A port=([baseline]=9201 [generated]=9202 [wiremock]=9203 [generated-nojournal]=9204)
routes=(static templated)
declare -A path=([static]=/static [templated]=/hello/bob)

if ((!webhooks_only)); then
  echo "== throughput: start servers"
  start baseline 9201 "$(bin Baseline)" --urls http://127.0.0.1:9201 > "$art/pid-baseline"
  PORT=9202 HOST=127.0.0.1 start generated 9202 "$(bin MockService)" > "$art/pid-generated"
  if [[ " ${servers[*]} " == *" generated-nojournal "* ]]; then
    Moclojer__Requests__Capacity=0 PORT=9204 HOST=127.0.0.1 start generated-nojournal 9204 "$(bin MockService)" > "$art/pid-generated-nojournal"
  fi
  if ((wiremock)); then start wiremock 9203 "$(bin WireMockServer)" 9203 handlebars > "$art/pid-wiremock"; fi

  echo "== warm-up: ${warmup} s per server"
  for s in "${servers[@]}"; do
    for r in "${routes[@]}"; do
      run_wrk "http://127.0.0.1:${port[$s]}${path[$r]}" "$(((warmup + 1) / 2))" > /dev/null
    done
  done

  echo "== measure: $repeats x ${duration} s per route and server"
  for ((rep = 1; rep <= repeats; rep++)); do
    for s in "${servers[@]}"; do
      for r in "${routes[@]}"; do
        # CPU time the server spent per request (user + system, all its threads): unlike req/s, it hardly depends on
        # how much of core 0 other processes take, so it is the figure to compare on a shared machine.
        cpu0=$(cpu_ticks "$(cat "$art/pid-$s")")
        read -r rps p99 requests < <(run_wrk "http://127.0.0.1:${port[$s]}${path[$r]}" "$duration")
        cpu1=$(cpu_ticks "$(cat "$art/pid-$s")")
        cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (n > 0 ? t * 1e6 / hz / n : 0) }')
        echo "throughput server=$s route=$r rep=$rep rps=$rps p99_ms=$p99 requests=$requests cpu_us_per_request=$cpu_us" | tee -a "$results"
      done
    done
  done
  for s in "${servers[@]}"; do stop "$(cat "$art/pid-$s")"; done

  if ((throughput_only)); then
    echo "== write $out"
    python3 "$load/report.py" "$results" "$out" "$mode" "$warmup" "$duration" "$repeats" "$connections"
    exit 0
  fi

  echo "== start-up to first 200 (3 runs each)"
  startup() { # name command...
    local name=$1; shift
    for rep in 1 2 3; do
      local line
      line=$(taskset -c 1 "$driver" startup http://127.0.0.1:9210/static 30 taskset -c 0 "$@" || true)
      echo "startup server=$name rep=$rep ${line}" | tee -a "$results"
    done
  }
  startup baseline "$(bin Baseline)" --urls http://127.0.0.1:9210
  PORT=9210 HOST=127.0.0.1 startup generated "$(bin MockService)"
  startup wiremock "$(bin WireMockServer)" 9210 handlebars
  if ((aot)); then
    startup baseline-aot "$art/aot/Baseline/Baseline" --urls http://127.0.0.1:9210
    PORT=9210 HOST=127.0.0.1 startup generated-aot "$art/aot/MockService/MockService"
  fi
fi

webhook_rounds=$repeats
echo "== webhooks: 1,000/s with sleep-time 1 (after $webhook_warmup warm-up requests), $webhook_rounds round(s)"
for ((rep = 1; rep <= webhook_rounds; rep++)); do
  pid=$(start baseline 9201 "$(bin Baseline)" --urls http://127.0.0.1:9201)
  line=$(taskset -c 1 "$driver" webhooks http://127.0.0.1:9201/webhook 1000 "$webhook_count" 9300 "$webhook_warmup")
  echo "webhooks server=baseline rep=$rep $line" | tee -a "$results"
  stop "$pid"
  pid=$(Moclojer__Webhooks__MaxPending=$((pending + 100000)) Moclojer__Webhooks__MaxPendingBytes=$((pending * 1000)) \
    PORT=9202 HOST=127.0.0.1 start generated 9202 "$(bin MockService)")
  line=$(taskset -c 1 "$driver" webhooks http://127.0.0.1:9202/webhook 1000 "$webhook_count" 9300 "$webhook_warmup")
  echo "webhooks server=generated rep=$rep $line" | tee -a "$results"
  if ((rep < webhook_rounds || !pending_step)); then stop "$pid"; fi
done
if ((pending_step)); then
  echo "== $pending pending webhooks"
  sleep 3
  line=$(taskset -c 1 "$driver" pending http://127.0.0.1:9202/pending "$pending" "$pid")
  # A dropped webhook is still answered 202: count the service's drop warnings, or a step that held fewer webhooks
  # than it says would pass unnoticed.
  dropped=$(grep -c ' dropped: ' "$art/logs/server-generated.log" || true)
  echo "pending server=generated $line dropped=$dropped" | tee -a "$results"
  stop "$pid"
fi

if ((build_cost)); then
  echo "== build cost"
  "$load/build-cost.sh" "$art/buildcost" | tee -a "$results"
fi

echo "== write $out"
python3 "$load/report.py" "$results" "$out" "$mode" "$warmup" "$duration" "$repeats" "$connections"
echo "done: $out"
