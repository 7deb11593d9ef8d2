#!/usr/bin/env python3
"""Turns bench/load/run.sh's results (key=value lines) into docs/performance.md."""
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone

results_path, out_path, mode, warmup, duration, repeats, connections = sys.argv[1:8]


def parse(line):
    kind, *pairs = line.split()
    return kind, dict(p.split("=", 1) for p in pairs if "=" in p)


rows = [parse(l) for l in open(results_path) if l.strip() and "=" in l]


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def fmt(v, digits=0):
    return "n/a" if v != v else f"{v:,.{digits}f}"


def ratio(a, b):
    return float("nan") if not b or a != a or b != b else a / b


def verdict(ok):
    return "met" if ok else "**missed**"


cpu = "unknown"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[:1]
mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30

tp = {}
tp_rounds = {}
for kind, d in rows:
    if kind == "throughput":
        tp.setdefault((d["server"], d["route"]), []).append((num(d["rps"]), num(d["p99_ms"])))
        tp_rounds.setdefault((d["server"], d["route"]), []).append((int(d["rep"]), (num(d["rps"]), num(d["p99_ms"]))))
startup = {}
for kind, d in rows:
    if kind == "startup":
        startup.setdefault(d["server"], []).append(num(d.get("startup_ms")))
webhooks = {d["server"]: d for kind, d in rows if kind == "webhooks"}
pending = next((d for kind, d in rows if kind == "pending"), None)
build = {int(d["endpoints"]): d for kind, d in rows if kind == "build"}

names = {
    "baseline": "hand-written minimal API (CreateSlimBuilder, logging off)",
    "generated": "**generated mock service** (bench/bench.mocks.yml, default configuration: no appsettings.json)",
    "wiremock": "WireMock.Net 1.25.0 (Handlebars templates)",
}
L = []
w = L.append
w("# Performance")
w("")
w(f"Measured by `bench/load/run.sh` ({mode} mode) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Every ratio is "
  "against the hand-written baseline **measured in the same run**; absolute numbers depend on the machine and "
  "are noisy on shared hosts, ratios less so. Micro-benchmarks (allocations per handler call) are in "
  "[the last section](#micro-benchmarks-allocations).")
w("")
w("## Machine")
w("")
w(f"- {os.cpu_count()} cores (`nproc`), CPU `{cpu}`, {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}")
w(f"- .NET SDK {dotnet}; {wrk_version[0] if wrk_version else 'wrk'}")
w("")
w("## Method")
w("")
w(f"- Every server listens on 127.0.0.1 and is pinned to core 0 with `taskset -c 0`; `wrk` and the driver run on core 1.")
w(f"- Same routes everywhere ([bench/bench.mocks.yml](../bench/bench.mocks.yml)): `GET /static` (a fixed 56-byte JSON "
  "body) and `GET /hello/bob` (a path parameter inserted into a JSON string). The baseline "
  "([bench/load/Baseline](../bench/load/Baseline/Program.cs)) writes the same bytes from hand-written RequestDelegates; "
  "WireMock.Net ([bench/load/WireMockServer](../bench/load/WireMockServer/Program.cs)) has equivalent mappings.")
w(f"- Warm-up {warmup} s per server (half per route, so tiered JIT reaches steady state), then {repeats} x {duration} s "
  f"of `wrk -t1 -c{connections} --latency` per route and server, interleaved by round; the table shows medians.")
w("- Start-up: the driver launches the server and polls `GET /static` every 2 ms; launch to first 200, median of 3.")
w("- Webhooks: `POST /webhook/:id` at 1,000 requests/s, each scheduling one webhook with `sleep-time: 1` to a "
  "receiver in the driver; lateness = arrival at the receiver - the client's send time (header `X-Sent`, "
  "forwarded by the webhook) - 1 s. The first requests of the stream are a warm-up and are not counted.")
w("- Pending webhooks: 1,000,000 `POST /pending/:id` requests, each scheduling a webhook one hour away; RSS and "
  "thread count of the server process (`/proc/<pid>/status`) before and 2 s after.")
w("")
w("## Throughput and latency")
w("")
w("| server | static req/s | ratio | static p99 | p99 ratio | templated req/s | ratio | templated p99 | p99 ratio |")
w("|---|---|---|---|---|---|---|---|---|")
# Ratios are paired: in each round the servers are measured one after another, so each round's ratio to the
# baseline of that same round is less exposed to the machine's load drifting between rounds; the median of the
# rounds' ratios is shown (absolute figures are medians too).
def paired(s, r, index):
    base_rounds = {d_rep: v for d_rep, v in tp_rounds.get(("baseline", r), [])}
    values = [ratio(v[index], base_rounds[rep][index]) for rep, v in tp_rounds.get((s, r), []) if rep in base_rounds]
    return med(values)


summary = {}
for s in ("baseline", "generated", "wiremock"):
    cells = []
    for r in ("static", "templated"):
        rps = med([x[0] for x in tp.get((s, r), [])])
        p99 = med([x[1] for x in tp.get((s, r), [])])
        rr, pr = paired(s, r, 0), paired(s, r, 1)
        summary[(s, r)] = (rps, p99, rr, pr)
        cells += [fmt(rps), f"{rr:.2f}x", f"{fmt(p99, 2)} ms", f"{pr:.2f}x"]
    w(f"| {names[s]} | " + " | ".join(cells) + " |")
w("")
w("Ratios are the median of per-round ratios (each round measures every server back to back). Per round:")
w("")
w("| round | " + " | ".join(f"{s} {r} req/s (p99)" for s in ("baseline", "generated", "wiremock") for r in ("static", "templated")) + " |")
w("|---" * 7 + "|")
for rep in sorted({rep for v in tp_rounds.values() for rep, _ in v}):
    cells = []
    for s in ("baseline", "generated", "wiremock"):
        for r in ("static", "templated"):
            v = dict(tp_rounds.get((s, r), [])).get(rep)
            cells.append("n/a" if v is None else f"{fmt(v[0])} ({fmt(v[1], 1)} ms)")
    w(f"| {rep} | " + " | ".join(cells) + " |")
w("")
w("## Start-up (launch to first 200)")
w("")
w("| server | median | ratio |")
w("|---|---|---|")
sb = med(startup.get("baseline", []))
sba = med(startup.get("baseline-aot", []))
for s, label in (("baseline", "hand-written minimal API (JIT)"), ("generated", "**generated mock service (JIT)**"),
                 ("wiremock", "WireMock.Net (JIT)"), ("baseline-aot", "hand-written minimal API (Native AOT)"),
                 ("generated-aot", "**generated mock service (Native AOT)**")):
    if s in startup:
        ref = sba if s.endswith("-aot") else sb
        w(f"| {label} | {fmt(med(startup[s]))} ms | {ratio(med(startup[s]), ref):.2f}x{' (vs AOT baseline)' if s.endswith('-aot') else ''} |")
w("")
w("## Webhooks")
w("")
w("| server | requests (after warm-up) | delivered | lateness p50 | lateness p99 | max |")
w("|---|---|---|---|---|---|")
for s, label in (("baseline", "hand-written (Task.Delay + HttpClient)"), ("generated", "**generated (scheduler)**")):
    d = webhooks.get(s)
    if d:
        w(f"| {label} | {d['sent']} at {d['rate']}/s | {d['delivered']} | {d['lateness_p50_ms']} ms | {d['lateness_p99_ms']} ms | {d['lateness_max_ms']} ms |")
if pending:
    w("")
    w(f"1,000,000 pending webhooks in the generated service: RSS {pending['rss_before_mib']} MiB before, "
      f"{pending['rss_after_mib']} MiB after (**+{pending['rss_extra_mib']} MiB**); threads {pending['threads_before']} before, "
      f"{pending['threads_after']} after ({pending['failed']} failed requests, sent in {pending['seconds']} s).")
w("")
w("## Build cost")
w("")
w("Mock files of N endpoints (half static, half templated with a typed path parameter), built by "
  "[bench/load/build-cost.sh](../bench/load/build-cost.sh). Generator time from `-p:ReportAnalyzer=true` "
  "(a build after a mock edit); incremental builds are `dotnet build --no-restore` after editing every body of "
  "the mock file, and with nothing changed (medians of 3).")
w("")
w("| endpoints | generator time | generated bytes | bytes per endpoint | build after a mock edit | build with no change |")
w("|---|---|---|---|---|---|")
for n in sorted(build):
    d = build[n]
    w(f"| {n:,} | {d['generator_s']} s | {int(d['generated_bytes']):,} | {d['bytes_per_endpoint']} | {d['incremental_edit_s'][:5]} s | {d['incremental_noop_s'][:5]} s |")
w("")
w("## Targets")
w("")
w("| target | measured | verdict |")
w("|---|---|---|")
for r in ("static", "templated"):
    rps, p99, rr, pr = summary[("generated", r)]
    w(f"| {r} throughput >= 0.95x baseline | {rr:.2f}x | {verdict(rr >= 0.95)} |")
    w(f"| {r} p99 <= 1.1x baseline | {pr:.2f}x | {verdict(pr <= 1.1)} |")
if "generated" in startup:
    sr = ratio(med(startup["generated"]), sb)
    w(f"| start-up <= 1.1x baseline (JIT) | {sr:.2f}x | {verdict(sr <= 1.1)} |")
if "generated-aot" in startup:
    sr = ratio(med(startup["generated-aot"]), sba)
    w(f"| start-up, Native AOT (reported) | {fmt(med(startup['generated-aot']))} ms, {sr:.2f}x the AOT baseline | reported |")
if "generated" in webhooks:
    p = num(webhooks["generated"]["lateness_p99_ms"])
    b = num(webhooks["baseline"]["lateness_p99_ms"]) if "baseline" in webhooks else float("nan")
    w(f"| webhook lateness p99 <= hand-written + 1 ms at 1,000/s | {fmt(p, 1)} ms (hand-written {fmt(b, 1)} ms) | {verdict(p <= b + 1)} |")
if pending:
    extra = num(pending["rss_extra_mib"])
    grew = int(pending["threads_after"]) - int(pending["threads_before"])
    w(f"| 1,000,000 pending: <= 256 MiB extra | +{fmt(extra, 1)} MiB | {verdict(extra <= 256)} |")
    w(f"| 1,000,000 pending: threads do not grow with them | {pending['threads_before']} -> {pending['threads_after']} | {verdict(grew <= 2)} |")
if 2000 in build:
    g = num(build[2000]["generator_s"])
    g10 = num(build[10]["generator_s"]) if 10 in build else 0.0
    added = g - g10
    w(f"| 2,000 endpoints add <= 1 s of generator time | {build[2000]['generator_s']} s in all, {added:.2f} s more than at 10 endpoints | {verdict(added <= 1)} |")
    w(f"| generated code lean per endpoint (reported) | {build[2000]['bytes_per_endpoint']} bytes per endpoint at 2,000 | reported |")
w("")
w("MICROBENCH_PLACEHOLDER")
w("")
w("## Rerun")
w("")
w("```sh")
w("bench/load/run.sh --quick      # about 5 minutes: short warm-up, one short round (smoke test, noisy)")
w("bench/load/run.sh              # 30 s warm-up, 3 x 15 s per route and server, then build cost; rewrites this file")
w("bench/load/run.sh --warmup 60 --duration 30 --repeats 5 --no-aot")
w("dotnet run -c Release --project bench/Moclojer.Generators.Benchmarks -- --filter '*'   # micro-benchmarks")
w("```")
w("")
w("The script installs `wrk` if missing (apt), builds everything in Release, publishes Native AOT builds when "
  "`clang` is installed (`--no-aot` skips them), and keeps server logs and raw results in `artifacts/bench/`. "
  "It needs two cores. Benchmarks are not part of `dotnet test`.")
text = "\n".join(L) + "\n"

# Keep the micro-benchmark section of the previous file (it is written by hand from BenchmarkDotNet's output).
micro = "## Micro-benchmarks (allocations)\n\n(run the BenchmarkDotNet project and paste its tables here)"
if os.path.exists(out_path):
    old = open(out_path).read()
    start = old.find("## Micro-benchmarks (allocations)")
    if start >= 0:
        end = old.find("\n## Rerun", start)
        micro = old[start:end if end >= 0 else len(old)].rstrip()
text = text.replace("MICROBENCH_PLACEHOLDER", micro)
open(out_path, "w").write(text)
