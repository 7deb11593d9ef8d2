#!/usr/bin/env python3
"""Turns bench/load/run.sh's results (key=value lines) into the load section of docs/performance.md.

Only the text between the two BEGIN/END marker lines is replaced; the rest of the file (routing, generator, scheduler
and test-host sections, written from other benchmarks) is kept. A file without the markers gets the section appended.
"""
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
        v = (num(d["rps"]), num(d["p99_ms"]), num(d.get("cpu_us_per_request")))
        tp.setdefault((d["server"], d["route"]), []).append(v)
        tp_rounds.setdefault((d["server"], d["route"]), []).append((int(d["rep"]), v))
startup = {}
for kind, d in rows:
    if kind == "startup":
        startup.setdefault(d["server"], []).append(num(d.get("startup_ms")))
webhook_rounds = {}
for kind, d in rows:
    if kind == "webhooks":
        webhook_rounds.setdefault(int(d.get("rep", 1)), {})[d["server"]] = d
webhooks = {}
for rounds in webhook_rounds.values():
    for server, d in rounds.items():
        webhooks.setdefault(server, []).append(d)
# Per round: generated p99 - hand-written p99, both measured in that round.
p99_gaps = [num(r["generated"]["lateness_p99_ms"]) - num(r["baseline"]["lateness_p99_ms"])
            for r in webhook_rounds.values() if "generated" in r and "baseline" in r]
pending = next((d for kind, d in rows if kind == "pending"), None)
build = {int(d["endpoints"]): d for kind, d in rows if kind == "build"}

names = {
    "baseline": "hand-written minimal API (CreateSlimBuilder, logging off)",
    "generated": "**generated mock service** (bench/bench.mocks.yml, default configuration: no appsettings.json)",
    "generated-nojournal": "generated mock service, request journal off (`Moclojer:Requests:Capacity=0`)",
    "wiremock": "WireMock.Net 1.25.0 (Handlebars templates)",
}
servers = [s for s in names if any(k[0] == s for k in tp)]
BEGIN = "<!-- BEGIN bench/load/run.sh: written by bench/load/report.py; edit outside these markers -->"
END = "<!-- END bench/load/run.sh -->"
L = []
w = L.append
w(BEGIN)
w("## Load benchmark")
w("")
w(f"Measured by `bench/load/run.sh` ({mode} mode), results written {datetime.fromtimestamp(os.path.getmtime(results_path), timezone.utc):%Y-%m-%d %H:%M} UTC. Every ratio is "
  "against the hand-written baseline **measured in the same run**; absolute numbers depend on the machine, ratios "
  "less so.")
w("")
w("### Machine")
w("")
w(f"- {os.cpu_count()} cores (`nproc`), CPU `{cpu}`, {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}")
w(f"- .NET SDK {dotnet}; {wrk_version[0] if wrk_version else 'wrk'}")
w("")
w("### Method")
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
summary = {}
if tp:
    w("### Throughput and latency")
    w("")
    w("Req/s and p99 come from `wrk`; **CPU per request** is the server process's user + system time over the requests "
      "it answered (`/proc/<pid>/stat`): it depends much less than req/s on what else the machine runs. Ratios: req/s "
      "and CPU efficiency (baseline CPU per request / this server's) above 1.0x are better than the baseline, p99 below "
      "1.0x is better. Each ratio is the median of per-round ratios (every round measures every server back to back).")
    w("")
    w("| server | route | req/s | ratio | p99 | p99 ratio | CPU per request | CPU efficiency |")
    w("|---|---|---|---|---|---|---|---|")
    def paired(s, r, index, inverse=False):
        """The median over rounds of this server's figure / the baseline's in the same round (or the inverse)."""
        base_rounds = {d_rep: v for d_rep, v in tp_rounds.get(("baseline", r), [])}
        values = [ratio(base_rounds[rep][index], v[index]) if inverse else ratio(v[index], base_rounds[rep][index])
                  for rep, v in tp_rounds.get((s, r), []) if rep in base_rounds]
        return med(values)


    for s in servers:
        for r in ("static", "templated"):
            rps = med([x[0] for x in tp.get((s, r), [])])
            p99 = med([x[1] for x in tp.get((s, r), [])])
            cpu_us = med([x[2] for x in tp.get((s, r), [])])
            rr, pr = paired(s, r, 0), paired(s, r, 1)
            er = paired(s, r, 2, inverse=True)
            summary[(s, r)] = (rps, p99, rr, pr, er)
            w(f"| {names[s]} | {r} | {fmt(rps)} | {rr:.2f}x | {fmt(p99, 2)} ms | {pr:.2f}x | {fmt(cpu_us, 1)} µs | {er:.2f}x |")
    w("")
    w("Per round (req/s, p99, CPU per request):")
    w("")
    w("| round | " + " | ".join(f"{s} {r}" for s in servers for r in ("static", "templated")) + " |")
    w("|---" * (1 + 2 * len(servers)) + "|")
    for rep in sorted({rep for v in tp_rounds.values() for rep, _ in v}):
        cells = []
        for s in servers:
            for r in ("static", "templated"):
                v = dict(tp_rounds.get((s, r), [])).get(rep)
                cells.append("n/a" if v is None else f"{fmt(v[0])} ({fmt(v[1], 1)} ms, {fmt(v[2], 1)} µs)")
        w(f"| {rep} | " + " | ".join(cells) + " |")
    w("")

if startup:
    w("### Start-up (launch to first 200)")
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

w("### Webhooks")
w("")
w("| round | server | requests (after warm-up) | delivered | lateness p50 | lateness p99 | max |")
w("|---|---|---|---|---|---|---|")
for rep in sorted(webhook_rounds):
    for s, label in (("baseline", "hand-written (Task.Delay + HttpClient)"), ("generated", "**generated (scheduler)**")):
        d = webhook_rounds[rep].get(s)
        if d:
            w(f"| {rep} | {label} | {d['sent']} at {d['rate']}/s | {d['delivered']} | {d['lateness_p50_ms']} ms | {d['lateness_p99_ms']} ms | {d['lateness_max_ms']} ms |")
if pending:
    w("")
    w(f"1,000,000 pending webhooks in the generated service: RSS {pending['rss_before_mib']} MiB before, "
      f"{pending['rss_after_mib']} MiB after (**+{pending['rss_extra_mib']} MiB**); threads {pending['threads_before']} before, "
      f"{pending['threads_after']} after ({pending['failed']} failed requests, {pending.get('dropped', '?')} webhooks dropped, "
      f"sent in {pending['seconds']} s).")
w("")
if build:
    w("### Build cost")
    w("")
    w("Mock files of N endpoints (half static, half templated with a typed path parameter), built by "
      "[bench/load/build-cost.sh](../bench/load/build-cost.sh) in a project that references the packed package. "
      "Generator time is the compiler's `ReportAnalyzer` figure for the mock generator in a build after a mock edit, "
      "measured with the compiler server the SDK uses by default (the generator loaded by the build before, as in a "
      "developer's edit loop) and in a fresh compiler process (`UseSharedCompilation=false`: it includes loading the "
      "generator and its JIT). Fresh-compiler figures are medians of the builds listed: the package's default on "
      "this linux-x64 host (the precompiled copy), and its portable copy (`MoclojerReadyToRunGenerator=false`, "
      "what other hosts run) in alternating builds. `Csc` is the whole compiler task of the cold build. Incremental builds (cold "
      "compiler) are `dotnet build --no-restore` after editing every body of the mock file, and with nothing changed.")
    w("")
    w("| endpoints | generator time, compiler server (SDK default) | generator time, fresh compiler (builds) | same, portable copy (builds) | `Csc` | generated bytes | bytes per endpoint | build after a mock edit | build with no change |")
    w("|---|---|---|---|---|---|---|---|---|")
    for n in sorted(build):
        d = build[n]
        w(f"| {n:,} | {d.get('generator_server_s', 'n/a')} s | {d['generator_s']} s ({d.get('generator_runs_s', 'n/a')}) | "
          f"{d.get('generator_portable_s', 'n/a')} s ({d.get('generator_portable_runs_s', 'n/a')}) | {d.get('csc_s', 'n/a')} s | {int(d['generated_bytes']):,} | {d['bytes_per_endpoint']} | {d['incremental_edit_s'][:5]} s | {d['incremental_noop_s'][:5]} s |")
    w("")

w("### Targets")
w("")
w("| target | measured | verdict |")
w("|---|---|---|")
for r in ("static", "templated") if ("generated", "static") in summary else ():
    rps, p99, rr, pr, er = summary[("generated", r)]
    w(f"| default configuration, {r}: >= 0.95x baseline | {rr:.2f}x req/s, {er:.2f}x CPU efficiency | {verdict(rr >= 0.95 and er >= 0.95)} |")
    w(f"| {r} p99 <= 1.1x baseline | {pr:.2f}x | {verdict(pr <= 1.1)} |")
if "generated" in startup:
    sr = ratio(med(startup["generated"]), sb)
    w(f"| start-up <= 1.1x baseline (JIT) | {sr:.2f}x | {verdict(sr <= 1.1)} |")
if "generated-aot" in startup:
    sr = ratio(med(startup["generated-aot"]), sba)
    w(f"| start-up, Native AOT (reported) | {fmt(med(startup['generated-aot']))} ms, {sr:.2f}x the AOT baseline | reported |")
if p99_gaps:
    gap = med(p99_gaps)
    p = med([num(d["lateness_p99_ms"]) for d in webhooks["generated"]])
    b = med([num(d["lateness_p99_ms"]) for d in webhooks["baseline"]])
    w(f"| webhook lateness p99 <= hand-written + 1 ms at 1,000/s | {fmt(p, 1)} ms against {fmt(b, 1)} ms; per round {', '.join(f'{g:+.1f}' for g in p99_gaps)} ms, median {gap:+.1f} ms | {verdict(gap <= 1)} |")
if pending:
    extra = num(pending["rss_extra_mib"])
    grew = int(pending["threads_after"]) - int(pending["threads_before"])
    held = pending.get("dropped") == "0" and pending["failed"] == "0"
    w(f"| 1,000,000 pending: <= 256 MiB extra | +{fmt(extra, 1)} MiB ({pending.get('dropped', '?')} dropped) | "
      f"{verdict(extra <= 256 and held) if held else '**not measured**: webhooks were dropped or requests failed'} |")
    w(f"| 1,000,000 pending: threads do not grow with them | {pending['threads_before']} -> {pending['threads_after']} | {verdict(grew <= 2)} |")
if 10000 in build:
    g = num(build[10000].get("generator_server_s", "nan"))
    c = num(build[10000]["generator_s"])
    w(f"| generator time at 10,000 endpoints <= 2 s | {build[10000].get('generator_server_s', 'n/a')} s with the SDK's compiler server; "
      f"{build[10000]['generator_s']} s in a fresh compiler process (median; portable copy {build[10000].get('generator_portable_s', 'n/a')} s) | {verdict(g <= 2)} with the compiler server; {verdict(c <= 2)} cold |")
for n in sorted(build):
    w(f"| build cost at {n:,} endpoints (reported) | {build[n]['bytes_per_endpoint']} bytes per endpoint, {build[n]['incremental_edit_s'][:5]} s after a mock edit | reported |")
w("")
w("Rerun: `bench/load/run.sh` (30 s warm-up, 3 x 15 s per route and server, start-up, webhooks, build cost), "
  "`--quick` for a smoke run, `--throughput-only --no-wiremock --no-journal-too` for the default configuration "
  "alone. The script installs `wrk` if missing (apt), builds everything in Release, publishes Native AOT builds when "
  "`clang` is installed (`--no-aot` skips them), and keeps server logs and raw results in `artifacts/bench/`. It "
  "needs two cores. Benchmarks are not part of `dotnet test`.")
w(END)
text = "\n".join(L) + "\n"

old = open(out_path).read() if os.path.exists(out_path) else "# Performance\n"
start, end = old.find(BEGIN), old.find(END)
if start >= 0 and end > start:
    text = old[:start] + text.rstrip("\n") + old[end + len(END):]
else:
    text = old.rstrip("\n") + "\n\n" + text
open(out_path, "w").write(text)
