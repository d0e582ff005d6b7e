#!/usr/bin/env python3
"""Helpers of bench/run.sh (standard library only).

  report.py metrics-delta BEFORE AFTER      calltracker_twilio_requests_total differences, as key=value
  report.py mix LEVEL_ENV                   pgbench mix (ppm) from what the service executed
  report.py check CORPUS RAW OFFSETS MARGIN WORK   final state of every fully delivered call
  report.py threads PID                     CPU ticks of each thread of a process, grouped by name, as lines
  report.py threads-delta BEFORE AFTER SECS HZ  CPU% (100 = one core) of each thread group between two snapshots
  report.py report RAW RESULTS              table on stdout, RESULTS/results.md, RESULTS/results.png
"""

import csv
import glob
import os
import re
import shutil
import subprocess
import sys


def read_env(path):
    values = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line:
                    k, v = line.split("=", 1)
                    values[k] = v
    return values


def num(values, key, default=0.0):
    try:
        return float(values.get(key, ""))
    except ValueError:
        return default


# --- metrics-delta ------------------------------------------------------------------------------------
METRIC = re.compile(r'^calltracker_twilio_requests_total\{(.*)\}\s+([0-9.eE+-]+)')


def parse_metrics(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = METRIC.match(line.strip())
            if m:
                labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
                key = (labels.get("kind", "?"), labels.get("result", "?"))
                out[key] = out.get(key, 0.0) + float(m.group(2))
    return out


def metrics_delta(before, after):
    b, a = parse_metrics(before), parse_metrics(after)
    totals = {}
    for key in sorted(set(a) | set(b)):
        d = a.get(key, 0.0) - b.get(key, 0.0)
        print("m_%s_%s=%d" % (key[0], key[1].replace("-", "_"), d))
        totals[key[1]] = totals.get(key[1], 0.0) + d
    for result in ("accepted", "duplicate", "refused", "invalid", "rejected-signature"):
        print("result_%s=%d" % (result.replace("-", "_"), totals.get(result, 0.0)))


# --- mix ----------------------------------------------------------------------------------------------
def mix(level_env):
    v = read_env(level_env)
    append, record = num(v, "svc_append_calls"), num(v, "svc_record_calls")
    lead, save, leads_updated = num(v, "svc_lead_calls"), num(v, "svc_save_calls"), num(v, "leads_updated")
    if append + record < 100:   # nothing measured: the corpus' own proportions
        print(135000, 900000, 850000, 250000)
        return
    ppm = lambda x, y: int(round(1e6 * x / y)) if y else 0
    print(ppm(record, append + record), ppm(lead, record), ppm(save, append), min(1000000, ppm(leads_updated, save)))


# --- check --------------------------------------------------------------------------------------------
def check(corpus, raw, offsets, margin, work):
    offsets = [int(x) for x in offsets.split(",")]
    margin = int(margin)
    wrapped = False
    for path in glob.glob(os.path.join(raw, "wrk-*.txt")):
        with open(path) as f:
            for line in f:
                if line.startswith("BENCH_THREAD") and line.split()[4] == "1":
                    wrapped = True
    calls = {}
    with open(os.path.join(work, "calls.tsv")) as f:
        for row in csv.reader(f, delimiter="\t"):
            calls[row[0]] = row
    activities = {}
    with open(os.path.join(work, "activities.tsv")) as f:
        for row in csv.reader(f, delimiter="\t"):
            activities[row[0]] = row[1]
    leads = {}
    with open(os.path.join(work, "leads.tsv")) as f:
        for row in csv.reader(f, delimiter="\t"):
            leads[row[0]] = row[1]

    checked = delivered_not = 0
    problems = []
    lead_calls = {}   # lead -> list of (fully delivered, outcome)
    for t, limit in enumerate(offsets):
        with open(os.path.join(corpus, "expected.%d.tsv" % t)) as f:
            for line in f:
                last, parent, child, lead, outcome, duration, recording = line.rstrip("\n").split("\t")
                full = wrapped or int(last) < limit - margin
                if lead != "-":
                    lead_calls.setdefault(lead, []).append((full, outcome))
                if not full:
                    delivered_not += 1
                    continue
                checked += 1
                row = calls.get(parent)
                if row is None:
                    problems.append("%s: no call row" % parent)
                    continue
                _, status, dialed, lead_id, dur, rec, answered, estimated, parent_ended = row
                want = {"status": outcome, "dialed_call_sid": child, "lead_id": lead if lead != "-" else r"\N",
                        "duration_seconds": duration, "recording_sid": recording if recording != "-" else r"\N",
                        "answered": "t" if outcome == "completed" else "f", "ended_at_estimated": "f",
                        "parent_ended": "t"}
                got = {"status": status, "dialed_call_sid": dialed, "lead_id": lead_id, "duration_seconds": dur,
                       "recording_sid": rec, "answered": answered, "ended_at_estimated": estimated,
                       "parent_ended": parent_ended}
                wrong = ["%s=%s (expected %s)" % (k, got[k], want[k]) for k in want if got[k] != want[k]]
                if lead != "-" and activities.get(parent) != outcome:
                    wrong.append("activity=%s (expected %s)" % (activities.get(parent), outcome))
                if wrong:
                    problems.append("%s: %s" % (parent, ", ".join(wrong)))
    lead_checked = 0
    for lead, cs in lead_calls.items():
        if any(full and outcome == "completed" for full, outcome in cs):
            lead_checked += 1
            if leads.get(lead) != "contacted":
                problems.append("lead %s: status %s, expected contacted" % (lead, leads.get(lead)))
        elif all(full for full, _ in cs):
            lead_checked += 1
            if leads.get(lead) != "new":
                problems.append("lead %s: status %s, expected new (never reached)" % (lead, leads.get(lead)))
    print("check: %d calls fully delivered and checked, %d not (still in the corpus or in flight at a stop), "
          "%d leads checked, %d wrong" % (checked, delivered_not, lead_checked, len(problems)))
    for p in problems[:20]:
        print("  WRONG " + p)
    return 1 if problems else 0


# --- jfr-top ------------------------------------------------------------------------------------------
def jfr_top(limit=25):
    """Reads `jfr print --events jdk.ExecutionSample` on stdin: where the service's CPU samples are."""
    self_counts, incl_counts, total = {}, {}, 0
    frames = None
    for line in sys.stdin:
        line = line.strip()
        if line.startswith("stackTrace = ["):
            frames = []
        elif frames is not None:
            if line.startswith("]"):
                if frames:
                    total += 1
                    self_counts[frames[0]] = self_counts.get(frames[0], 0) + 1
                    for f in set(frames):
                        incl_counts[f] = incl_counts.get(f, 0) + 1
                frames = None
            elif not line.startswith("..."):
                frames.append(re.sub(r"\s+line:.*$", "", line))
    print("%d execution samples" % total)
    for title, counts in (("self (top frame)", self_counts), ("inclusive", incl_counts)):
        print("\n%s:" % title)
        for frame, n in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]:
            print("  %5.1f%%  %s" % (100.0 * n / max(total, 1), frame))


# --- profile-top --------------------------------------------------------------------------------------
PROFILE_BUCKETS = [   # (label, substring(s) of a frame): where the event loops' CPU goes, inclusive
    # PostgreSQL's socket is flushed by the codec, or by the flush consolidation below it (db/PhysicalConnection)
    ("write(2): PostgreSQL", ("PgEncoder.flush", "FlushConsolidationHandler$1.run", "FlushConsolidationHandler.flushNow")),
    ("write(2): HTTP responses", "Http1xServerResponse.end"),
    ("read(2)", "__GI_read"), ("epoll_wait", "epoll_wait"),
    ("PostgreSQL client (vertx-pg/sql-client)", "io/vertx/pgclient"), ("RESTEasy Reactive", "org/jboss/resteasy"),
    ("Mutiny", "io/smallrye/mutiny"), ("context propagation", "io/smallrye/context"),
    ("Micrometer", "io/micrometer"), ("Jackson (jsonb of the event)", "com/fasterxml/jackson"),
    ("call-tracker code", "dev/calltracker"), ("  form parsing", "FormBody"),
    ("  signature", "TwilioSignature"), ("  TwiML", "TwimlBuilder"), ("  dates (Twilio Timestamp)", "TwilioFormats.parseRfc2822")]


def profile_top(path, limit=25):
    """Summary of an async-profiler collapsed profile: the event loops' self frames and buckets."""
    self_counts, buckets, total, all_total = {}, {}, 0, 0
    for line in open(path):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        n = int(n)
        all_total += n
        if "NioEventLoop.run" not in stack:
            continue
        total += n
        leaf = stack.rsplit(";", 1)[-1]
        self_counts[leaf] = self_counts.get(leaf, 0) + n
        for label, needles in PROFILE_BUCKETS:
            if any(needle in stack for needle in (needles if isinstance(needles, tuple) else (needles,))):
                buckets[label] = buckets.get(label, 0) + n
    print("%d samples, %d on the event loops (%.0f%%)" % (all_total, total, 100.0 * total / max(all_total, 1)))
    print("\nevent loops, inclusive:")
    for label, _ in PROFILE_BUCKETS:
        print("  %5.1f%%  %s" % (100.0 * buckets.get(label, 0) / max(total, 1), label))
    print("\nevent loops, self (top frame):")
    for frame, n in sorted(self_counts.items(), key=lambda kv: -kv[1])[:limit]:
        print("  %5.1f%%  %s" % (100.0 * n / max(total, 1), frame[:140]))


# --- threads ------------------------------------------------------------------------------------------
def thread_group(name):
    """JVM thread names without their numbers: the event loops, the JIT compilers, the GC threads, ..."""
    return re.sub(r"[0-9]+", "N", name.strip())


def threads(pid):
    """User and system CPU ticks of each thread of the process, summed by thread group (/proc/PID/task/*/stat)."""
    ticks = {}
    for task in glob.glob("/proc/%s/task/*" % pid):
        try:
            name = open(os.path.join(task, "comm")).read()
            stat = open(os.path.join(task, "stat")).read()
        except OSError:
            continue   # the thread ended meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        user, system = ticks.get(thread_group(name), (0, 0))
        ticks[thread_group(name)] = (user + int(fields[11]), system + int(fields[12]))
    for group, (user, system) in sorted(ticks.items()):
        print("%s\t%d\t%d" % (group, user, system))


def threads_delta(before, after, secs, hz):
    def load(path):
        rows = (line.rstrip("\n").split("\t") for line in open(path))
        return {r[0]: (int(r[1]), int(r[2])) for r in rows if len(r) == 3}
    b, a = load(before), load(after)
    scale = 100.0 / float(hz) / float(secs)
    pct = {g: ((u - b.get(g, (0, 0))[0]) * scale, (s - b.get(g, (0, 0))[1]) * scale) for g, (u, s) in a.items()}
    total = sum(u + s for u, s in pct.values())
    print("%-20s %6s  %6s %6s  %s" % ("thread group", "CPU%", "user", "system", "share of the service"))
    for g, (u, s) in sorted(pct.items(), key=lambda kv: -sum(kv[1])):
        if u + s >= 0.5:
            print("%-20s %5.1f%%  %5.1f%% %5.1f%%  %4.1f%%" % (g, u + s, u, s, 100 * (u + s) / total if total else 0))


# --- report -------------------------------------------------------------------------------------------
COLUMNS = [("conns", "level", "%d"), ("req/s", "rps", "%.0f"), ("p50 ms", "p50", "%.2f"), ("p99 ms", "p99", "%.2f"),
           ("max ms", "max", "%.1f"), ("errors", "errors", "%d"), ("dup", "dup", "%d"),
           ("RSS MiB", "rss", "%.0f"), ("svc CPU%", "svc_cpu", "%.0f"), ("pg CPU%", "pg_cpu", "%.0f"),
           ("all CPU%", "all_cpu", "%.0f"), ("pgbench tps", "pgb_tps", "%.0f"), ("ratio", "ratio", "%.2f")]


def level_rows(raw, prefix=""):
    """The levels of the jar (level-*.env) or, with prefix "native-", of the native executable."""
    rows = []
    for path in glob.glob(os.path.join(raw, prefix + "level-*.env")):
        v = read_env(path)
        if "rps" not in v:
            continue
        pgb = num(v, "pgbench_tps", 0.0)
        rows.append({
            "level": num(v, "level"), "rps": num(v, "rps"), "p50": num(v, "p50_us") / 1000,
            "p99": num(v, "p99_us") / 1000, "p999": num(v, "p999_us") / 1000, "max": num(v, "max_us") / 1000,
            "errors": num(v, "errors"), "dup": num(v, "result_duplicate"), "rss": num(v, "rss_max_kib") / 1024,
            "svc_cpu": num(v, "svc_cpu_pct"), "pg_cpu": num(v, "pg_cpu_pct"), "all_cpu": num(v, "machine_cpu_pct"),
            "pgb_tps": pgb, "ratio": num(v, "rps") / pgb if pgb else float("nan"),
            "cpu_ms": num(v, "svc_cpu_pct") * 10 / num(v, "rps") if num(v, "rps") else float("nan"),
            "env": v, "raw": raw, "prefix": prefix})
    return sorted(rows, key=lambda r: r["level"])


def pgbench_latency(logs, skip_s=2.0):
    """Percentiles of pgbench's per-transaction log (-l: latency in microseconds, then the epoch time in seconds
    and microseconds), leaving out the first skip_s seconds: with --rate, the transactions scheduled while
    the 32 connections are still being opened count the wait for them (hundreds of ms), an artefact of the
    start, not the database's tail."""
    rows = []
    for path in logs:
        for line in open(path):
            fields = line.split()
            if len(fields) >= 6 and fields[2].isdigit():
                rows.append((int(fields[4]) + int(fields[5]) / 1e6, int(fields[2])))
    if not rows:
        return
    start = min(t for t, _ in rows)
    lat = sorted(l for t, l in rows if t >= start + skip_s)
    if not lat:
        return
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print("pgbench_count=%d" % len(lat))
    print("pgbench_p50_us=%d" % pick(0.50))
    print("pgbench_p99_us=%d" % pick(0.99))
    print("pgbench_p999_us=%d" % pick(0.999))
    print("pgbench_max_us=%d" % lat[-1])


def half_line(raw, prefix=""):
    """The paced run at half the best throughput (run.sh BENCH_HALF), as one sentence; None if not run."""
    path = os.path.join(raw, prefix + "half.env")
    if not os.path.exists(path):
        return None
    v = read_env(path)
    if "rps" not in v:
        return None
    return ("Half load: %s req/s offered (half the best level), %.0f achieved over 32 connections: p50 %.2f ms, "
            "p99 %.2f ms, p99.9 %.2f ms, max %.1f ms, errors %s; service CPU %s%%, PostgreSQL CPU %s%%."
            % (v.get("offered_rps"), num(v, "rps"), num(v, "p50_us") / 1000, num(v, "p99_us") / 1000,
               num(v, "p999_us") / 1000, num(v, "max_us") / 1000, v.get("errors"), v.get("svc_cpu_pct"),
               v.get("pg_cpu_pct"))
            + (" pgbench at the same rate (32 clients, latency from the scheduled start, first 2 s left out): p50 %.2f ms, p99 %.2f ms, "
               "p99.9 %.2f ms, max %.1f ms."
               % (num(v, "pgbench_p50_us") / 1000, num(v, "pgbench_p99_us") / 1000,
                  num(v, "pgbench_p999_us") / 1000, num(v, "pgbench_max_us") / 1000)
               if "pgbench_p99_us" in v else ""))


def fmt(spec, value):
    if value != value:   # NaN
        return "-"
    return spec % value


def table(rows, columns=COLUMNS):
    head = [c[0] for c in columns]
    body = [[fmt(spec, r[key]) for _, key, spec in columns] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    text = "  ".join(h.rjust(w) for h, w in zip(head, widths)) + "\n"
    for b in body:
        text += "  ".join(x.rjust(w) for x, w in zip(b, widths)) + "\n"
    md = "| " + " | ".join(head) + " |\n|" + "|".join("---:" for _ in head) + "|\n"
    for b in body:
        md += "| " + " | ".join(b) + " |\n"
    return text, md


def statements_md(rows):
    names = [("begin", "BEGIN"), ("append", "APPEND_EVENT_AND_LOCK_CALL"), ("save", "SAVE_TRANSITION"),
             ("commit", "COMMIT"), ("lead", "findPhone (lead lookup)"), ("record", "RECORD_DIALED_CALL"),
             ("rollback", "ROLLBACK")]
    md = ""
    for r in rows:
        v = r["env"]
        md += ("\n**%d connections / clients.** service: %s req in %.1f s; pgbench: %s transactions, average latency "
               "%s ms, %s failed, PostgreSQL CPU %s%% (service run: %s%%).\n\n"
               % (r["level"], v.get("requests", "?"), num(v, "duration_us") / 1e6, pgbench_count(v),
                  v.get("pgbench_latency_ms", "-"), v.get("pgbench_failed", "-"), v.get("pgbench_pg_cpu_pct", "-"),
                  v.get("pg_cpu_pct", "-")))
        md += ("COMMIT's execution time excludes the WAL flush (it happens after the statement); pgbench's own "
               "per-statement latencies, flush included, are in raw/pgbench-%d.txt.\n\n" % r["level"])
        md += "| statement | service calls | service mean exec ms | pgbench calls | pgbench mean exec ms |\n"
        md += "|---|---:|---:|---:|---:|\n"
        for key, label in names:
            sc, pc = v.get("svc_%s_calls" % key), v.get("pgb_%s_calls" % key)
            if sc is None and pc is None:
                continue
            if key in ("begin", "commit"):   # pgbench's prepared BEGIN/COMMIT are counted once per client
                pc, pms = "-", "-"
            else:
                pc, pms = pc or 0, v.get("pgb_%s_ms" % key, "-")
            md += "| %s | %s | %s | %s | %s |\n" % (label, sc or 0, v.get("svc_%s_ms" % key, "-"), pc, pms)
        reqs = num(v, "result_accepted") + num(v, "result_duplicate") or 1
        tx = pgbench_count(v)
        tx = float(tx) if tx != "?" else 0
        md += ("\nWAL per request: service %.0f bytes (%.1f records, %.2f full-page images); pgbench %s.\n"
               % (num(v, "svc_wal_bytes") / reqs, num(v, "svc_wal_records") / reqs, num(v, "svc_wal_fpi") / reqs,
                  "%.0f bytes (%.1f records, %.2f full-page images)" % (
                      num(v, "pgb_wal_bytes") / tx, num(v, "pgb_wal_records") / tx, num(v, "pgb_wal_fpi") / tx)
                  if tx else "-"))
        results = ", ".join("%s %s" % (k[len("result_"):], v[k]) for k in sorted(v) if k.startswith("result_")
                            and v[k] != "0")
        md += "\nService answers by result: %s. wrk: p99.9 %.1f ms, mean %.2f ms, non-2xx %s, socket errors " \
              "connect/read/write/timeout %s/%s/%s/%s.%s\n" % (
                  results or "-", r["p999"], num(v, "mean_us") / 1000, v.get("non2xx"), v.get("connect"),
                  v.get("read"), v.get("write"), v.get("timeout"),
                  " The corpus ran out and started again: later requests are re-deliveries (duplicates)."
                  if v.get("wrapped") == "1" else "")
        threads_txt = os.path.join(r["raw"], "threads-%d.txt" % r["level"])
        if os.path.exists(threads_txt):
            md += "\nService CPU by thread group (100 %% = one core):\n\n```\n%s```\n" % open(threads_txt).read()
    return md


# --- JVM vs native -----------------------------------------------------------------------------------
NATIVE_COLUMNS = COLUMNS[:-2] + [("svc CPU ms/req", "cpu_ms", "%.2f")]

# What the harness that builds the native executable here (../shared/native, its README) does not prove:
# stated next to every native figure.
NATIVE_CAVEATS = [
    "built with the SubstrateVM test harness (`../shared/native`), not a GraalVM/Mandrel distribution: the "
    "real builder (`org.graalvm.nativeimage:svm` 25.0.4) on Temurin **JDK 25.0.3** (JVMCI version check "
    "disabled), so its class library is JDK 25's where the JVM column runs the machine's JDK (%(java)s);",
    "the JDK's native code (`libjava`, `libnet`, `libnio`, `libzip`, ...) is **linked dynamically** from the "
    "harness' toolchain folder (with a `libjvm.so` shim), not statically: the RSS counts those shared objects' "
    "resident pages where a distribution build carries the parts it uses inside the binary, and the binary "
    "is not self-contained (its size is not a Mandrel build's);",
    "about **140 rarely used `JVM_*` functions are stubs** that abort with `JVM shim: X called but not "
    "implemented` (%(shim)s);",
    "**container memory limits are ignored** for heap sizing (%(heap)s);",
    "**CPU features may be under-reported** to the compiled code (the harness' cpuid stand-in), so the "
    "throughput and CPU figures may be pessimistic against a distribution build on the same CPU;",
    "the native part runs **after** the JVM part, against the same PostgreSQL and continuing the same corpus, "
    "on a database the JVM part and pgbench have grown; pgbench is not repeated for it.",
]


def native_section(raw, run, start, jvm_rows):
    """The side-by-side table of the jar and the native executable (run.sh BENCH_NATIVE); None if not run."""
    nat_rows = level_rows(raw, "native-")
    if not nat_rows and "native_ready_ms" not in start:
        return None
    jh, nh = read_env(os.path.join(raw, "half.env")), read_env(os.path.join(raw, "native-half.env"))
    mib = lambda k: "%.0f" % (num(start, k) / 1024) if k in start else "-"
    best = lambda rows: max(rows, key=lambda r: r["rps"]) if rows else None
    jb, nb = best(jvm_rows), best(nat_rows)

    def per_level(rows):
        return " / ".join("%.0f" % r["rps"] for r in rows) or "-"

    def errors(rows, half):
        return "%d" % (sum(r["errors"] for r in rows) + num(half, "errors")) if rows else "-"

    def ms(half, key):
        return "%.1f" % (num(half, key) / 1000) if key in half else "-"

    levels = " / ".join("%d" % r["level"] for r in (jvm_rows or nat_rows))
    lines = [
        ("start-up to ready, migrated database (ms)", start.get("ready_ready_ms", "-"), start.get("native_ready_ms", "-")),
        ("RSS right after start (MiB)", mib("ready_rss_kib"), mib("native_rss_kib")),
        ("max RSS under load (MiB)", "%.0f" % max(r["rss"] for r in jvm_rows) if jvm_rows else "-",
         "%.0f" % max(r["rss"] for r in nat_rows) if nat_rows else "-"),
        ("RSS after the benchmark (MiB)", mib("after_rss_kib"), mib("native_after_rss_kib")),
        ("best req/s (at connections)", "%.0f (%d)" % (jb["rps"], jb["level"]) if jb else "-",
         "%.0f (%d)" % (nb["rps"], nb["level"]) if nb else "-"),
        ("req/s at %s connections" % levels, per_level(jvm_rows), per_level(nat_rows)),
        ("service CPU per request at the best level (ms)", fmt("%.2f", jb["cpu_ms"]) if jb else "-",
         fmt("%.2f", nb["cpu_ms"]) if nb else "-"),
        ("half load: req/s offered (half the own best)", jh.get("offered_rps", "-"), nh.get("offered_rps", "-")),
        ("**p99 at half load (ms)**", ms(jh, "p99_us"), ms(nh, "p99_us")),
        ("p50 at half load (ms)", "%.2f" % (num(jh, "p50_us") / 1000) if "p50_us" in jh else "-",
         "%.2f" % (num(nh, "p50_us") / 1000) if "p50_us" in nh else "-"),
        ("errors (levels and half load)", errors(jvm_rows, jh), errors(nat_rows, nh)),
    ]
    version = re.search(r'"([^"]+)"', run.get("java_version", ""))
    jvm_head = "JVM (%s%s)" % ("JDK %s" % version.group(1) if version else "java",
                               ", `%s`" % run["java_opts"] if run.get("java_opts") else "")
    nat_head = "native (harness, JDK 25.0.3%s)" % (", `%s`" % run["native_opts"] if run.get("native_opts") else "")
    md = ["| | %s | %s |" % (jvm_head, nat_head), "|---|---:|---:|"]
    md += ["| %s | %s | %s |" % line for line in lines]
    w0, w1, w2 = (max(len(str(l[i]).replace("*", "")) for l in lines) for i in range(3))
    text = "\n".join("%s  %s  %s" % (l[0].replace("*", "").ljust(w0), str(l[1]).rjust(max(w1, 3)),
                                     str(l[2]).rjust(max(w2, 6)))
                     for l in [("", "JVM", "native")] + lines) + "\n"

    shim_path = os.path.join(raw, "native-shim.txt")
    shim = open(shim_path).read().strip() if os.path.exists(shim_path) else ""
    heap = ("this run passes `%s`, as the Kubernetes deployment does, so both columns have the same heap limit"
            % run["native_opts"] if "-Xmx" in run.get("native_opts", "")
            else "this run passes no `-Xmx`: the heap is sized from the machine's memory")
    values = {"java": run.get("java_version", "?"), "heap": heap,
              "shim": "**one was hit in this run**, see below: the harness, not the product" if shim
              else "none was hit in this run: no such line in the native executable's log"}
    out = ["## JVM vs native", ""]
    out.append("Both in this run, against the same PostgreSQL, corpus and settings. Native executable: `%s` "
               "(sha256 %s…, file dated %s), warm-up %s s (the JVM's: %s s). Start-up: from the process start "
               "to the first 200 of `/q/health/ready`, against the already migrated database (native: the second "
               "start, %s ms the first; Quarkus says %s s)."
               % (run.get("native_bin", "?"), run.get("native_sha256", "?"), run.get("native_mtime", "?"),
                  run.get("native_warmup", "?"), run.get("warmup", "?"), start.get("native_first_ready_ms", "?"),
                  start.get("native_quarkus_s", "?")))
    out.append("")
    out.append("\n".join(md))
    out.append("")
    out.append("**Caveats of the native figures** (the harness, `/work/shared/native/README.md`):")
    out.append("")
    out.extend("- " + c % values for c in NATIVE_CAVEATS)
    out.append("")
    if shim:
        out.append("`JVM shim` abort in the native executable's log (raw/native-shim.txt):")
        out.append("")
        out.append("```\n%s\n```" % shim)
        out.append("")
    if nat_rows:
        _, nmd = table(nat_rows, NATIVE_COLUMNS)
        out.append("Native executable per level (same columns as above; svc CPU ms/req = the service's CPU time "
                   "per request):")
        out.append("")
        out.append(nmd)
    nhalf = half_line(raw, "native-")
    if nhalf:
        out.append("Native, h" + nhalf[1:])
        out.append("")
    check_path = os.path.join(raw, "check-native.txt")
    if os.path.exists(check_path):
        check = open(check_path).read().strip()
        if check:
            out.append("Correctness after the native part (every call fully delivered by the JVM and the native "
                       "executable together): " + check.splitlines()[0][len("check: "):])
            out.extend("    " + line.strip() for line in check.splitlines()[1:])
            out.append("")
    for r in nat_rows:
        threads_txt = os.path.join(raw, "native-threads-%d.txt" % r["level"])
        if os.path.exists(threads_txt):
            out.append("Native, %d connections: service CPU by thread group (100 %% = one core):\n\n```\n%s```\n"
                       % (r["level"], open(threads_txt).read()))
    return text, "\n".join(out), shim


def pgbench_count(v):
    calls = sum(num(v, "pgb_%s_calls" % k) for k in ("append", "record"))
    return "%d" % calls if calls else "?"


def jmh_md(raw):
    path = os.path.join(raw, "jmh.csv")
    if not os.path.exists(path):
        return "", ""
    text, md = "", "| benchmark | ns/op | ± (99.9 %) |\n|---|---:|---:|\n"
    with open(path) as f:
        for row in csv.DictReader(f):
            name = row["Benchmark"].rsplit(".", 1)[-1]
            err = row.get("Score Error (99.9%)", "NaN")
            md += "| %s | %.0f | %s |\n" % (name, float(row["Score"]), "-" if err == "NaN" else "%.0f" % float(err))
            text += "  %-20s %10.0f ns/op\n" % (name, float(row["Score"]))
    return text, md


def plot(rows, results, native_rows=()):
    if not rows or not shutil.which("gnuplot"):
        return None
    data = os.path.join(results, "raw", "plot.dat")
    native = {r["level"]: r for r in native_rows}
    with open(data, "w") as f:
        for r in rows:
            n = native.get(r["level"])
            f.write("%d %.1f %.1f %.3f %s %s\n" % (r["level"], r["rps"], r["pgb_tps"], r["p99"],
                                                  "%.1f" % n["rps"] if n else "NaN", "%.3f" % n["p99"] if n else "NaN"))
    png = os.path.join(results, "results.png")
    script = """
set terminal pngcairo size 900,500 noenhanced
set output '%s'
set title 'call-tracker: throughput and p99 against concurrency'
set xlabel 'connections (wrk) / clients (pgbench)'
set logscale x 2
set xtics (%s)
set ylabel 'requests or transactions per second'
set y2label 'service p99 (ms)'
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set key left top
set grid
plot '%s' using 1:2 with linespoints lw 2 title 'service req/s', \
     '' using 1:3 with linespoints lw 2 title 'pgbench tps (same SQL)', \
     '' using 1:4 axes x1y2 with linespoints dt 2 lw 2 title 'service p99 ms'%s
""" % (png, ", ".join("%d" % r["level"] for r in rows), data,
       ", \\\n     '' using 1:5 with linespoints lw 2 title 'native req/s', \\\n"
       "     '' using 1:6 axes x1y2 with linespoints dt 2 lw 2 title 'native p99 ms'" if native else "")
    try:
        subprocess.run(["gnuplot"], input=script.encode(), check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as e:
        try:   # pngcairo may be missing; the plain png terminal is always there
            subprocess.run(["gnuplot"], input=script.replace("pngcairo", "png").encode(), check=True,
                           capture_output=True)
        except (subprocess.CalledProcessError, OSError):
            print("plot failed: %s" % e, file=sys.stderr)
            return None
    return png


def report(raw, results):
    run, start = read_env(os.path.join(raw, "run.env")), read_env(os.path.join(raw, "startup.env"))
    rows = level_rows(raw)
    text, md_table = table(rows)
    jtext, jmd = jmh_md(raw)
    check = open(os.path.join(raw, "check.txt")).read().strip() if os.path.exists(os.path.join(raw, "check.txt")) else ""
    best = max(rows, key=lambda r: r["rps"]) if rows else None
    best_pgb = max((r["pgb_tps"] for r in rows), default=0)
    mib = lambda k: num(start, k) / 1024
    startup = ("start-up to ready: %s ms on an empty database (Flyway migrates; Quarkus says %s s), %s ms against the "
               "migrated database (Quarkus says %s s); RSS after start %.0f MiB, after the benchmark %.0f MiB"
               % (start.get("first_ready_ms", "?"), start.get("first_quarkus_s", "?"), start.get("ready_ready_ms", "?"),
                  start.get("ready_quarkus_s", "?"), mib("ready_rss_kib"), mib("after_rss_kib")))
    if "appcds_ready_ms" in start:
        startup += ("; with an AppCDS archive of the first start: %s ms (Quarkus says %s s), RSS %.0f MiB"
                    % (start["appcds_ready_ms"], start.get("appcds_quarkus_s", "?"), mib("appcds_rss_kib")))

    print()
    print(text, end="")
    if best and best_pgb:
        print("best: %.0f req/s at %d connections; pgbench best %.0f tps; service/pgbench-best = %.2f"
              % (best["rps"], best["level"], best_pgb, best["rps"] / best_pgb))
    if half_line(raw):
        print(half_line(raw))
    print(startup)
    if jtext:
        print("JMH (in-process hot path):")
        print(jtext, end="")
    if check:
        print(check.splitlines()[0])
    native = native_section(raw, run, start, rows)
    if native:
        print("JVM vs native (same run; native: SubstrateVM harness, see the caveats in results.md):")
        print(native[0], end="")
        if native[2]:
            print("JVM shim abort in the native executable's log: raw/native-shim.txt (the harness, not the product)")
        check_native = os.path.join(raw, "check-native.txt")
        if os.path.exists(check_native) and open(check_native).read().strip():
            print("after the native part: " + open(check_native).read().strip().splitlines()[0])

    md = ["# call-tracker benchmark results", ""]
    md.append("Measured %s on %s (%s cores, %s GiB), Linux %s; %s; %s. Service commit %s%s. Each level: wrk "
              "%s s (%s threads, `--timeout 15s`), then pgbench %s s with the same clients. Corpus: %s calls."
              % (run.get("date", "?"), run.get("cpu", "?"), run.get("nproc", "?"), run.get("mem_gib", "?"),
                 run.get("kernel", "?"), run.get("java_version", "?"), run.get("pg_version", "?"),
                 run.get("git_rev", "?"),
                 " with %s uncommitted file(s) in src/ or pom.xml" % run["git_dirty_files"]
                 if run.get("git_dirty_files", "0") != "0" else "",
                 run.get("duration", "?"), run.get("threads", "?"), run.get("duration", "?"), run.get("calls", "?")))
    md.append("")
    md.append("Reproduce: `bench/run.sh` (see bench/README.md). Service, PostgreSQL (fsync=on, synchronous_commit=on) "
              "and load generator share the machine.")
    md.append("")
    md.append(md_table)
    md.append("req/s, p50/p99/max and errors (non-2xx + socket errors + timeouts over 15 s) from wrk; dup = requests "
              "the service counted as re-deliveries; RSS = the service's maximum during the level; CPU% per process "
              "(100 = one core), all = whole machine; pgbench tps = the same SQL in the same transaction shape and "
              "mix; ratio = service req/s / pgbench tps.")
    md.append("")
    if best and best_pgb:
        md.append("Best: %.0f req/s at %d connections; best pgbench: %.0f tps; ratio %.2f."
                  % (best["rps"], best["level"], best_pgb, best["rps"] / best_pgb))
    half = half_line(raw)
    if half:
        md.append("")
        md.append(half)
        md.append("")
    md.append(startup[0].upper() + startup[1:] + (". Native executable: see [JVM vs native](#jvm-vs-native)."
                                                  if native else ". Native executable: not measured in this run "
                                                  "(`BENCH_NATIVE`, see bench/README.md)."))
    md.append("")
    if check:
        md.append("Correctness after the run: " + check.splitlines()[0][len("check: "):])
        md.extend("    " + line.strip() for line in check.splitlines()[1:])
        md.append("")
    if native:
        md.append(native[1])
    md.append("## Per statement (pg_stat_statements; mean execution time inside PostgreSQL)")
    md.append(statements_md(rows))
    stats = os.path.join(raw, "table-stats.txt")
    if os.path.exists(stats):
        lines = [l.split("|") for l in open(stats).read().split("\n") if l.strip()]
        if lines:
            md.append("## Tables after the run (service and pgbench together)")
            md.append("")
            md.append("| table | inserted | updated | of which HOT | dead | indexes | size |")
            md.append("|---|---:|---:|---:|---:|---:|---:|")
            md.extend("| " + " | ".join(l) + " |" for l in lines)
            md.append("")
    if jmd:
        md.append("## JMH: in-process hot path (%s)" % "one JVM fork, short runs")
        md.append("")
        md.append(jmd)
    png = plot(rows, results, level_rows(raw, "native-"))
    if png:
        md.append("![throughput and p99](results.png)")
        md.append("")
    with open(os.path.join(results, "results.md"), "w") as f:
        f.write("\n".join(md))
    print("written: %s%s" % (os.path.join(results, "results.md"), " and " + png if png else ""))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "metrics-delta":
        metrics_delta(*args)
    elif cmd == "mix":
        mix(*args)
    elif cmd == "check":
        sys.exit(check(*args))
    elif cmd == "profile-top":
        profile_top(*args)
    elif cmd == "pgbench-latency":
        pgbench_latency(args)
    elif cmd == "threads":
        threads(*args)
    elif cmd == "threads-delta":
        threads_delta(*args)
    elif cmd == "jfr-top":
        jfr_top()
    elif cmd == "report":
        report(*args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
