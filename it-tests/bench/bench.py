#!/usr/bin/env python3
"""Helpers of the side-by-side benchmark (compare.sh) and of the JMH microbenchmarks (jmh.sh).

  bench.py probe --port P --since-ns NS [--pid PID] [--timeout S]
      Waits until a broker on 127.0.0.1:P answers a Metadata request listing at least one broker, then prints the
      milliseconds since NS (a time.time_ns() / `date +%s%N` stamp taken just before the broker was started).
  bench.py summary KIND FILE [--expect N]
      Prints the figures parsed from one tool's output (KIND: produce, consume or latency); fails if there are none,
      or if fewer than N records went through.
  bench.py report RUN_DIR [--write FILE]
      Parses every round of a run, prints the table of medians, saves it as RUN_DIR/report.md and, with --write,
      puts it (with the machine description) between the bench-results markers of FILE.
  bench.py jmh-report JSON [--write FILE]
      Prints a JMH JSON result as a table and, with --write, puts it between the jmh-results markers of FILE.
  bench.py jfr-top RECORDING [--limit N] [--prefix dev.ferry]
      Summarises the execution samples of a JFR recording (compare.sh --jfr): busiest threads, top methods by own
      time and by inclusive time.

Only the standard library is used. Tools' outputs are parsed from their final summary lines, so progress lines
and warnings around them do not matter.
"""

import argparse
import datetime
import json
import os
import platform
import re
import socket
import statistics
import struct
import subprocess
import sys
import time

BROKERS = ("ferry", "kafka")


# ---- start-up probe ---------------------------------------------------------------------------------------------

def metadata_request(correlation_id):
    """A Metadata v1 request for no topics: asks only for the brokers, creates nothing."""
    client_id = b"bench-probe"
    body = struct.pack(">hhih", 3, 1, correlation_id, len(client_id)) + client_id + struct.pack(">i", 0)
    return struct.pack(">i", len(body)) + body


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the broker")
        data += chunk
    return data


def brokers_listed(port, correlation_id):
    """Number of brokers in the broker's Metadata answer; raises OSError while it is not answering yet."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(metadata_request(correlation_id))
        size = struct.unpack(">i", read_exactly(sock, 4))[0]
        response = read_exactly(sock, size)
    answered_id, broker_count = struct.unpack(">ii", response[:8])
    if answered_id != correlation_id:
        raise ConnectionError("answer to another request")
    return broker_count


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def probe(args):
    deadline = time.monotonic() + args.timeout
    correlation_id = 0
    while time.monotonic() < deadline:
        if args.pid and not alive(args.pid):
            sys.exit(f"probe: the broker (pid {args.pid}) exited before answering")
        correlation_id += 1
        try:
            if brokers_listed(args.port, correlation_id) > 0:
                print((time.time_ns() - args.since_ns) // 1_000_000)
                return
        except (OSError, struct.error):
            pass
        time.sleep(0.005)
    sys.exit(f"probe: no broker answered on port {args.port} within {args.timeout} s")


# ---- parsing the tools' output ------------------------------------------------------------------------------------

PRODUCE_SUMMARY = re.compile(
    r"(?P<records>\d+) records sent, (?P<records_per_sec>[\d.]+) records/sec \((?P<mb_per_sec>[\d.]+) MB/sec\), "
    r"(?P<avg_ms>[\d.]+) ms avg latency, (?P<max_ms>[\d.]+) ms max latency, (?P<p50_ms>\d+) ms 50th, "
    r"(?P<p95_ms>\d+) ms 95th, (?P<p99_ms>\d+) ms 99th, (?P<p999_ms>\d+) ms 99.9th")
LATENCY_AVG = re.compile(r"Avg latency: (?P<avg_ms>[\d.]+) ms")
LATENCY_PERCENTILES = re.compile(r"Percentiles: 50th = (?P<p50_ms>\d+), 99th = (?P<p99_ms>\d+), "
                                 r"99.9th = (?P<p999_ms>\d+)")
CONSUME_COLUMNS = {"data.consumed.in.MB": "mb", "MB.sec": "mb_per_sec", "data.consumed.in.nMsg": "records",
                   "nMsg.sec": "records_per_sec", "rebalance.time.ms": "rebalance_ms", "fetch.time.ms": "fetch_ms",
                   "fetch.MB.sec": "fetch_mb_per_sec", "fetch.nMsg.sec": "fetch_records_per_sec"}


def last_match(pattern, text):
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def as_numbers(groups):
    return {key: float(value) for key, value in groups.items()}


def parse_produce(text):
    """ProducerPerformance: the last 'N records sent, ...' line is the whole run's summary."""
    found = last_match(PRODUCE_SUMMARY, text)
    return as_numbers(found.groupdict()) if found else None


def parse_consume(text):
    """ConsumerPerformance: a header line naming the columns, then one line of values."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index in range(len(lines) - 1, 0, -1):
        values = [value.strip() for value in lines[index].split(",")]
        header = [name.strip() for name in lines[index - 1].split(",")]
        if "MB.sec" in header and len(header) == len(values):
            row = dict(zip(header, values))
            try:
                return {short: float(row[name]) for name, short in CONSUME_COLUMNS.items() if name in row}
            except ValueError:
                continue
    return None


def parse_latency(text):
    """EndToEndLatency: 'Avg latency: x ms' and 'Percentiles: 50th = a, 99th = b, 99.9th = c' (whole ms)."""
    average = last_match(LATENCY_AVG, text)
    percentiles = last_match(LATENCY_PERCENTILES, text)
    if not average or not percentiles:
        return None
    return as_numbers({**average.groupdict(), **percentiles.groupdict()})


PARSERS = {"produce": parse_produce, "consume": parse_consume, "latency": parse_latency}


def parse_file(kind, path):
    with open(path, errors="replace") as file:
        return PARSERS[kind](file.read())


def summary(args):
    figures = parse_file(args.kind, args.file)
    if figures is None:
        sys.exit(f"no {args.kind} summary found in {args.file}")
    if args.expect is not None and figures.get("records", 0) < args.expect:
        sys.exit(f"{args.file}: only {figures.get('records', 0):g} of {args.expect} records went through")
    cpu_file = re.sub(r"\.out$", ".cpu", args.file)
    if cpu_file != args.file and os.path.exists(cpu_file):
        cpu = read_figure_file(cpu_file, os.path.basename(cpu_file))
        figures.update({"broker_cpu_s": cpu["seconds"], "broker_system_cpu_s": cpu["system_seconds"]})
    print(", ".join(f"{key}={value:.0f}" if value == int(value) else f"{key}={value:.2f}"
                    for key, value in figures.items()))


# ---- the report ---------------------------------------------------------------------------------------------------

# (label, unit, source file or figure file, key, whether higher is better, decimals)
ROWS = [
    ("1. Produce 1 KiB records, acks=1", "MB/s", "w1-produce-acks1.out", "mb_per_sec", True, 1),
    ("1. Produce 1 KiB records, acks=1: p99 send latency", "ms", "w1-produce-acks1.out", "p99_ms", False, 0),
    ("2. Produce 1 KiB records, acks=all", "MB/s", "w2-produce-acksall.out", "mb_per_sec", True, 1),
    ("2. Produce 1 KiB records, acks=all: p99 send latency", "ms", "w2-produce-acksall.out", "p99_ms", False, 0),
    ("3. Produce 100 B records, acks=1", "records/s", "w3-produce-small.out", "records_per_sec", True, 0),
    ("3. Produce 100 B records, acks=1", "MB/s", "w3-produce-small.out", "mb_per_sec", True, 1),
    ("4. Consume workload 1 in a group", "MB/s", "w4-consume.out", "mb_per_sec", True, 1),
    ("4. Consume workload 1: fetching only (after joining)", "MB/s", "w4-consume.out", "fetch_mb_per_sec", True, 1),
    ("5. End-to-end latency, p50", "ms, truncated", "w5-latency.out", "p50_ms", False, 0),
    ("5. End-to-end latency, p99", "ms, truncated", "w5-latency.out", "p99_ms", False, 0),
    ("5. End-to-end latency, p99.9", "ms, truncated", "w5-latency.out", "p999_ms", False, 0),
    ("5. End-to-end latency, mean", "ms", "w5-latency.out", "avg_ms", False, 2),
    ("6. Broker CPU time (user + system) during workload 1", "s", "w1-produce-acks1.cpu", "seconds", False, 1),
    ("6. Broker CPU time (user + system) during workload 2", "s", "w2-produce-acksall.cpu", "seconds", False, 1),
    ("6. Broker CPU time (user + system) during workload 3", "s", "w3-produce-small.cpu", "seconds", False, 1),
    ("6. Broker CPU time (user + system) during workload 4", "s", "w4-consume.cpu", "seconds", False, 1),
    ("6. Peak broker RSS (VmHWM)", "MiB", "peak-rss-kb", "mib", False, 0),
    ("6. Start-up to first Metadata answer", "ms", "startup-ms", "ms", False, 0),
    ("6. Bytes on disk after workload 1", "MiB", "disk-bytes-after-w1", "mib", False, 0),
]
KINDS = {"w1-produce-acks1.out": "produce", "w2-produce-acksall.out": "produce", "w3-produce-small.out": "produce",
         "w4-consume.out": "consume", "w5-latency.out": "latency"}


def read_figure_file(path, name):
    with open(path) as file:
        text = file.read().strip()
    if name.endswith(".cpu"):
        # user and system clock ticks of the broker before the tool ran, then after
        user_before, system_before, user_after, system_after = (int(part) for part in text.split())
        ticks = (user_after + system_after) - (user_before + system_before)
        return {"seconds": ticks / os.sysconf("SC_CLK_TCK"), "system_seconds":
                (system_after - system_before) / os.sysconf("SC_CLK_TCK")}
    value = float(text)
    if name == "peak-rss-kb":
        return {"mib": value / 1024}
    if name == "disk-bytes-after-w1":
        return {"mib": value / (1024 * 1024)}
    return {"ms": value}


def round_dirs(run_dir, broker):
    found = []
    for name in os.listdir(run_dir):
        match = re.fullmatch(rf"{broker}-(\d+)", name)
        if match and os.path.isdir(os.path.join(run_dir, name)):
            found.append((int(match.group(1)), os.path.join(run_dir, name)))
    return [path for _, path in sorted(found)]


def collect(run_dir):
    """{broker: [{file: figures}, ...one per round]}; a missing or unparsable file is an error."""
    results = {}
    files = sorted({row[2] for row in ROWS})
    for broker in BROKERS:
        rounds = []
        for directory in round_dirs(run_dir, broker):
            figures = {}
            for name in files:
                path = os.path.join(directory, name)
                if name.endswith(".cpu") and not os.path.exists(path):
                    figures[name] = {}  # runs from before CPU time was recorded
                    continue
                if not os.path.exists(path):
                    raise SystemExit(f"report: {path} is missing (did that round fail?)")
                parsed = parse_file(KINDS[name], path) if name in KINDS else read_figure_file(path, name)
                if parsed is None:
                    raise SystemExit(f"report: no summary found in {path}")
                figures[name] = parsed
            rounds.append(figures)
        if rounds:
            results[broker] = rounds
    if not results:
        raise SystemExit(f"report: no rounds found in {run_dir}")
    return results


def fmt(value, decimals):
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def ratio(ferry, kafka, whole_ms=False):
    """Ferry/Kafka. EndToEndLatency truncates to whole milliseconds, so there a 0 stands for "under 1 ms" and the
    ratio becomes a bound."""
    if ferry is None or kafka is None:
        return "–"
    if whole_ms and ferry == 0 and kafka > 0:
        return f"< {1 / kafka:.2f}"
    if whole_ms and kafka == 0 and ferry > 0:
        return f"> {ferry:.2f}"
    if kafka == 0:
        return "–"
    return f"{ferry / kafka:.2f}"


def median_of(rounds, name, key):
    values = [figures[name][key] for figures in rounds if key in figures[name]]
    return statistics.median(values) if values else None


def results_table(results):
    lines = ["| Figure | Unit | Better | Ferry | Kafka | Ferry/Kafka |", "|---|---|---|---:|---:|---:|"]
    for label, unit, name, key, higher, decimals in ROWS:
        ferry = median_of(results["ferry"], name, key) if "ferry" in results else None
        kafka = median_of(results["kafka"], name, key) if "kafka" in results else None
        whole_ms = name == "w5-latency.out" and key != "avg_ms"
        lines.append(f"| {label} | {unit} | {'higher' if higher else 'lower'} | {fmt(ferry, decimals)} | "
                     f"{fmt(kafka, decimals)} | {ratio(ferry, kafka, whole_ms)} |")
    return "\n".join(lines)


def rounds_table(results):
    brokers = [broker for broker in BROKERS if broker in results]
    header = ["Figure"] + [f"{broker.capitalize()} #{index + 1}"
                           for broker in brokers for index in range(len(results[broker]))]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for label, unit, name, key, _, decimals in ROWS:
        cells = [fmt(figures[name].get(key), decimals) for broker in brokers for figures in results[broker]]
        lines.append(f"| {label} ({unit}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def first_line(command):
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=30)
        text = (output.stdout or output.stderr).strip()
        return text.splitlines()[0] if text else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def jvm_sentence(settings):
    """How the report names the brokers' JVM options: the common ones, then what each broker's start script adds."""
    cds = "the class-data sharing archive of the `ferry` launcher"
    own = []
    if settings.get("ferry_jvm_opts"):
        own.append(f"Ferry `{settings['ferry_jvm_opts']}` (`broker/jvm.options`)"
                   + (f" and {cds}" if settings.get("ferry_cds") else ""))
    elif settings.get("ferry_cds"):
        own.append(f"Ferry {cds}")
    if settings.get("kafka_jvm_opts"):
        own.append(f"Kafka `{settings['kafka_jvm_opts']}` (`KAFKA_JVM_PERFORMANCE_OPTS` of `kafka-run-class.sh`)")
    text = f"`java {settings['jvm_opts']}`"
    return text + (", each also with what its start script adds: " + "; ".join(own) if own else "")


def machine_description(run_dir):
    cpu = "unknown"
    with open("/proc/cpuinfo") as file:
        for line in file:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as file:
        mem_kb = int(next(line for line in file if line.startswith("MemTotal")).split()[1])
    os_name = platform.system()
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as file:
            for line in file:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    java = first_line(["java", "-version"])
    vm = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    filesystem = first_line(["sh", "-c", f"df -T '{run_dir}' | awk 'NR == 2 {{ print $2 }}'"])
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("OS", f"{os_name}, Linux kernel {platform.release()}"),
        ("JDK", java + (f" ({vm[-1]})" if len(vm) > 1 else "")),
        ("Data directory file system", filesystem),
    ]


def read_settings(run_dir):
    with open(os.path.join(run_dir, "settings.json")) as file:
        return json.load(file)


def render(run_dir, results):
    settings = read_settings(run_dir)
    rounds = {broker: len(results.get(broker, [])) for broker in BROKERS}
    order = " then ".join(dict.fromkeys(broker.capitalize() for broker in settings["order"]))
    rounds_text = f"{settings['rounds']} rounds, each running {order}" if settings["rounds"] > 1 \
        else f"one round of {order}"
    records = settings["records"]
    lines = [f"Run of {settings['date']}: Ferry at commit {settings['ferry_commit']} against Apache Kafka "
             f"{settings['kafka_version']}, {rounds_text}.", ""]
    if settings.get("note"):
        lines += [settings["note"], ""]
    lines += [f"Records: {records['produce_1k']:,} of 1 KiB in workloads 1, 2 and 4, {records['produce_100b']:,} of "
              f"100 B in workload 3, {records['latency']:,} of 1 KiB in workload 5.", "",
              f"Both brokers: {jvm_sentence(settings)}; the same `server.properties` (loopback listener, "
              "6 partitions per topic, OS-managed flushing), a fresh data directory per round. Medians of the "
              f"rounds (Ferry {rounds['ferry']}, Kafka {rounds['kafka']}):", "",
              results_table(results), "",
              "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in machine_description(run_dir)]
    lines += ["", "<details><summary>Every round</summary>", "", rounds_table(results), "", "</details>"]
    return "\n".join(lines)


def replace_between_markers(path, marker, content, title):
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = f"{start}\n{content}\n{end}"
    if os.path.exists(path):
        with open(path) as file:
            text = file.read()
    else:
        text = f"# {title}\n\n"
    if start in text and end in text:
        before = text[:text.index(start)]
        after = text[text.index(end) + len(end):]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as file:
        file.write(text)


def report(args):
    results = collect(args.run_dir)
    text = render(args.run_dir, results)
    with open(os.path.join(args.run_dir, "report.md"), "w") as file:
        file.write(text + "\n")
    print(results_table(results))
    if args.write:
        replace_between_markers(args.write, "bench-results", text, "Benchmarks")
        print(f"\nwritten to {args.write}")


# ---- JMH ----------------------------------------------------------------------------------------------------------

def jmh_report(args):
    with open(args.json) as file:
        runs = json.load(file)
    lines = ["| Benchmark | Parameters | Mode | Score | Error (99.9%) | Unit |", "|---|---|---|---:|---:|---|"]
    for run in runs:
        name = run["benchmark"].rsplit(".", 2)
        params = ", ".join(f"{key}={value}" for key, value in sorted(run.get("params", {}).items()))
        metric = run["primaryMetric"]
        error = metric.get("scoreError")
        error_text = "–" if error is None or error != error else f"{error:,.1f}"
        lines.append(f"| {name[-2]}.{name[-1]} | {params or '–'} | {run['mode']} | {metric['score']:,.1f} | "
                     f"{error_text} | {metric['scoreUnit']} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        first = runs[0] if runs else {}
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        header = (f"JMH {first.get('jmhVersion', '?')} on {first.get('vmName', 'java')} "
                  f"{first.get('vmVersion', '')}, {stamp}: {first.get('forks')} fork(s), "
                  f"{first.get('warmupIterations')} warm-up and {first.get('measurementIterations')} measured "
                  f"iteration(s) of {first.get('measurementTime', '?')} each.")
        replace_between_markers(args.write, "jmh-results", header + "\n\n" + table, "Benchmarks")
        print(f"\nwritten to {args.write}")


# ---- JFR ----------------------------------------------------------------------------------------------------------

SAMPLE_START = re.compile(r"^jdk\.(?:Native)?ExecutionSample \{")
FRAME = re.compile(r"^\s+(?P<method>[\w$.<>/]+)\((?P<params>[^)]*)\)\s+line:")
THREAD = re.compile(r'^\s+sampledThread = "(?P<name>[^"]*)"')


def jfr_samples(path, depth):
    """Each execution sample of a recording as (thread name, [frames, innermost first])."""
    output = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", str(depth), path],
                            capture_output=True, text=True, check=True).stdout
    samples, thread, frames, inside = [], None, [], False
    for line in output.splitlines():
        if SAMPLE_START.match(line):
            thread, frames, inside = None, [], True
        elif inside and line.startswith("}"):
            samples.append((thread or "?", frames))
            inside = False
        elif inside:
            found = THREAD.match(line)
            if found:
                thread = re.sub(r"\d+$", "N", found.group("name"))
                continue
            found = FRAME.match(line)
            if found:
                frames.append(found.group("method"))
    return samples


def top(counter, total, limit):
    rows = sorted(counter.items(), key=lambda item: -item[1])[:limit]
    return [f"| {count / total:6.1%} | `{name}` |" for name, count in rows]


def jfr_top(args):
    samples = jfr_samples(args.file, args.depth)
    if not samples:
        raise SystemExit(f"no execution samples in {args.file}")
    total = len(samples)
    own, inclusive, threads = {}, {}, {}
    for thread, frames in samples:
        threads[thread] = threads.get(thread, 0) + 1
        if frames:
            own[frames[0]] = own.get(frames[0], 0) + 1
        for method in set(frames):
            if args.prefix is None or method.startswith(args.prefix):
                inclusive[method] = inclusive.get(method, 0) + 1
    print(f"{total} execution samples in {args.file}\n")
    for title, counter in (("Threads (digits folded into N)", threads), ("Top methods, own time", own),
                           ("Top methods, inclusive" + (f" ({args.prefix}*)" if args.prefix else ""), inclusive)):
        print(f"| share | {title} |\n|---:|---|")
        print("\n".join(top(counter, total, args.limit)) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    probe_parser = commands.add_parser("probe")
    probe_parser.add_argument("--port", type=int, required=True)
    probe_parser.add_argument("--since-ns", type=int, required=True)
    probe_parser.add_argument("--pid", type=int)
    probe_parser.add_argument("--timeout", type=float, default=120)
    probe_parser.set_defaults(run=probe)

    summary_parser = commands.add_parser("summary")
    summary_parser.add_argument("kind", choices=sorted(PARSERS))
    summary_parser.add_argument("file")
    summary_parser.add_argument("--expect", type=int, help="fail unless at least this many records went through")
    summary_parser.set_defaults(run=summary)

    report_parser = commands.add_parser("report")
    report_parser.add_argument("run_dir")
    report_parser.add_argument("--write")
    report_parser.set_defaults(run=report)

    jmh_parser = commands.add_parser("jmh-report")
    jmh_parser.add_argument("json")
    jmh_parser.add_argument("--write")
    jmh_parser.set_defaults(run=jmh_report)

    jfr_parser = commands.add_parser("jfr-top")
    jfr_parser.add_argument("file")
    jfr_parser.add_argument("--limit", type=int, default=20)
    jfr_parser.add_argument("--depth", type=int, default=64, help="stack frames read per sample")
    jfr_parser.add_argument("--prefix", help="inclusive table: only methods starting with this, e.g. dev.ferry")
    jfr_parser.set_defaults(run=jfr_top)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
