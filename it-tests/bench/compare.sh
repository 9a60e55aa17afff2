#!/usr/bin/env bash
# The side-by-side benchmark of Ferry against Apache Kafka on this machine (docs/benchmarks.md explains it).
#
# Builds Ferry, assembles Kafka's class path from Maven Central (kafka/pom.xml), then runs the same workloads with
# Kafka's own tools against each broker in turn, Ferry, Kafka, Ferry, Kafka, ..., each round on a fresh data
# directory, and prints the medians side by side. Outputs of every tool and broker stay in target/runs/<date>/.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/../.." && pwd)"

usage() {
    cat <<'EOF'
Usage: it-tests/bench/compare.sh [options]

  --rounds N        rounds of Ferry then Kafka (default 5; 1 with --quick)
  --quick           a trial in a minute or two: 2% of the records, one round, docs left alone
  --scale F         multiply every workload's record count by F (e.g. 0.5); noted in the report
  --only B          run one broker only: ferry or kafka (docs left alone)
  --skip-build      use the Ferry jar already in broker/target
  --ferry-jar FILE  use this Ferry jar (e.g. the copy a previous run kept in its run directory); implies --skip-build
  --no-cds          start Ferry without the class-data sharing archive the ferry launcher gives `serve`
  --plain-jvm       start both brokers without the JVM options of their start scripts (broker/jvm.options for
                    Ferry, kafka-run-class.sh's for Kafka): only BENCH_JVM_OPTS
  --jfr             record a JFR profile of each broker during workload 1 (target/runs/<date>/<broker>-<n>/w1.jfr;
                    bench.py jfr-top summarises one)
  --write-docs      write the table into docs/benchmarks.md even for a --quick, --scale or --only run
  --no-write-docs   never write docs/benchmarks.md
  --port P          the brokers' listener port (default 19092; Kafka's controller uses P+1)
  -h, --help        this text

Environment: BENCH_JVM_OPTS (both brokers' JVM options, default -Xmx1g), BENCH_TOOLS_JVM_OPTS (the tools', default
-Xmx512m), BENCH_MVN_ARGS (extra Maven arguments, e.g. -o to build offline).
EOF
}

rounds=""
scale=1
quick=0
only=""
build=1
source_jar=""
jfr=0
cds=1
shipped_jvm_opts=1
write_docs=auto
port=19092
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --quick) quick=1; shift ;;
        --scale) scale="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --skip-build) build=0; shift ;;
        --ferry-jar) source_jar="$2"; build=0; shift 2 ;;
        --jfr) jfr=1; shift ;;
        --no-cds) cds=0; shift ;;
        --plain-jvm) shipped_jvm_opts=0; shift ;;
        --write-docs) write_docs=yes; shift ;;
        --no-write-docs) write_docs=no; shift ;;
        --port) port="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $quick == 1 ]]; then
    scale=0.02
    rounds="${rounds:-1}"
fi
rounds="${rounds:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --rounds needs a positive number" >&2; exit 2; }
[[ -z "$only" || "$only" == ferry || "$only" == kafka ]] || { echo "compare.sh: --only ferry|kafka" >&2; exit 2; }
[[ "$scale" =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "compare.sh: --scale needs a positive number" >&2; exit 2; }
if [[ $write_docs == auto ]]; then
    if [[ $quick == 0 && -z "$only" && "$scale" == 1 ]]; then write_docs=yes; else write_docs=no; fi
fi

jvm_opts="${BENCH_JVM_OPTS:--Xmx1g}"
tools_jvm_opts="${BENCH_TOOLS_JVM_OPTS:--Xmx512m}"
mvn_args="${BENCH_MVN_ARGS:-}"
controller_port=$((port + 1))
bootstrap="127.0.0.1:$port"
tool_timeout=1800
kafka_version=4.3.1

scaled() { awk -v n="$1" -v s="$scale" -v min="$2" 'BEGIN { v = int(n * s); print (v < min ? min : v) }'; }
records_1k=$(scaled 2000000 1000)
records_100b=$(scaled 5000000 1000)
records_latency=$(scaled 10000 1000)

run_dir="$bench/target/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
log() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "compare.sh: $*" >&2; exit 1; }
# shellcheck source=it-tests/bench/brokers.sh
source "$bench/brokers.sh"

# ---- cleanup: whatever this script started dies with it ------------------------------------------------------------

broker_pid=""
tool_pid=""
cleanup() {
    if [[ -n "$tool_pid" ]]; then
        stop_pid "$tool_pid" 5
        tool_pid=""
    fi
    if [[ -n "$broker_pid" ]]; then
        stop_pid "$broker_pid" 30
        broker_pid=""
    fi
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT TERM

check_ports_free

# ---- Ferry and Kafka ------------------------------------------------------------------------------------------------

prepare_brokers

# ---- one round of one broker ----------------------------------------------------------------------------------------

# The broker's CPU time so far, user then system, in clock ticks (fields 14 and 15 of /proc/PID/stat).
broker_cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$broker_pid/stat"
}

# tool OUTPUT MAIN-CLASS ARGS...: runs one of Kafka's tools; its stdout goes to OUTPUT, its stderr beside it, and
# the CPU time the running broker spent meanwhile to OUTPUT with .cpu for .out ("user system" ticks, before and after).
tool() {
    local out=$1 cpu_before=""
    shift
    [[ -n "$broker_pid" ]] && cpu_before="$(broker_cpu_ticks)"
    # shellcheck disable=SC2086
    timeout --kill-after=10 "$tool_timeout" java $tools_jvm_opts \
        -Dlog4j2.configurationFile="$bench/kafka/tools-log4j2.properties" -cp "$kafka_cp" "$@" \
        >"$out" 2>"${out%.out}.err" &
    tool_pid=$!
    if ! wait "$tool_pid"; then
        tool_pid=""
        tail -n 20 "${out%.out}.err" >&2
        fail "$(basename "$out" .out) failed against the broker; see ${out%.out}.err"
    fi
    tool_pid=""
    if [[ -n "$cpu_before" ]]; then
        echo "$cpu_before $(broker_cpu_ticks)" >"${out%.out}.cpu"
    fi
}

# summarize KIND OUTPUT LABEL [EXPECTED-RECORDS]: prints the tool's figures, failing when the summary is missing or
# fewer records than expected went through.
summarize() {
    local figures
    figures="$(python3 "$bench/bench.py" summary "$1" "$2" ${4:+--expect "$4"})" || fail "see $2"
    log "  $3: $figures"
}

start_broker() {
    local broker=$1 dir=$2
    local start_ns
    if [[ $broker == kafka ]]; then
        local cluster_id
        # a Kafka cluster id: 16 random bytes in URL-safe base64; one starting with '-' would read as an option
        cluster_id=$(python3 -c 'import base64, os
while True:
    id = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not id.startswith("-"):
        print(id)
        break')
        tool "$dir/format.out" kafka.tools.StorageTool format --config "$dir/server.properties" \
            --cluster-id "$cluster_id"
        start_ns=$(date +%s%N)
        launch_kafka "$dir/server.properties" "$dir/broker.log" "$dir/server.log"
    else
        start_ns=$(date +%s%N)
        # the launcher's java command (see the ferry script), run directly so both brokers are timed from exec
        # shellcheck disable=SC2046
        launch_ferry "$dir/server.properties" "$dir/broker.log" $(ferry_cds_opts)
    fi
    python3 "$bench/bench.py" probe --port "$port" --since-ns "$start_ns" --pid "$broker_pid" \
        >"$dir/startup-ms" || fail "$broker did not start; see $dir/broker.log"
    log "  started in $(cat "$dir/startup-ms") ms (pid $broker_pid)"
}

run_round() {
    local broker=$1 index=$2
    local dir="$run_dir/$broker-$index"
    local data="$dir/data"
    mkdir -p "$dir"
    log "$broker, round $index of $rounds"
    sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" -e "s|@DATA_DIR@|$data|g" \
        "$bench/kafka/server.properties" >"$dir/server.properties"
    start_broker "$broker" "$dir"

    for topic in bench-acks1 bench-acksall bench-small; do
        tool "$dir/create-$topic.out" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
            --create --topic "$topic" --partitions 6 --replication-factor 1
    done
    local producer_settings=(linger.ms=5 batch.size=65536)

    if [[ $jfr == 1 ]]; then
        jcmd "$broker_pid" JFR.start name=w1 settings="$jfr_settings" filename="$dir/w1.jfr" >/dev/null
    fi
    tool "$dir/w1-produce-acks1.out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" \
        --topic bench-acks1 --num-records "$records_1k" --record-size 1024 --throughput -1 \
        --command-property acks=1 "${producer_settings[@]}"
    if [[ $jfr == 1 ]]; then
        jcmd "$broker_pid" JFR.stop name=w1 >/dev/null
    fi
    summarize produce "$dir/w1-produce-acks1.out" "1. produce 1 KiB, acks=1" "$records_1k"
    # allocated blocks, not apparent sizes: sparse, preallocated index files count only for what they hold
    du -s --block-size=1 "$data" | cut -f1 >"$dir/disk-bytes-after-w1"

    tool "$dir/w2-produce-acksall.out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" \
        --topic bench-acksall --num-records "$records_1k" --record-size 1024 --throughput -1 \
        --command-property acks=all "${producer_settings[@]}"
    summarize produce "$dir/w2-produce-acksall.out" "2. produce 1 KiB, acks=all" "$records_1k"

    tool "$dir/w3-produce-small.out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" \
        --topic bench-small --num-records "$records_100b" --record-size 100 --throughput -1 \
        --command-property acks=1 "${producer_settings[@]}"
    summarize produce "$dir/w3-produce-small.out" "3. produce 100 B, acks=1" "$records_100b"

    tool "$dir/w4-consume.out" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
        --topic bench-acks1 --group bench-consumer --num-records "$records_1k" --timeout 60000
    summarize consume "$dir/w4-consume.out" "4. consume workload 1" "$records_1k"

    tool "$dir/w5-latency.out" org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$bootstrap" \
        --topic bench-latency --num-records "$records_latency" --producer-acks 1 --record-size 1024
    summarize latency "$dir/w5-latency.out" "5. end-to-end latency (ms)"

    awk '/^VmHWM:/ { print $2 }' "/proc/$broker_pid/status" >"$dir/peak-rss-kb"
    log "  peak RSS $(($(cat "$dir/peak-rss-kb") / 1024)) MiB," \
        "$(($(cat "$dir/disk-bytes-after-w1") / 1048576)) MiB on disk after workload 1"
    stop_pid "$broker_pid" 60
    broker_pid=""
    rm -rf "$data"
}

# A short run of Ferry on scratch data whose loaded classes become the class-data sharing archive, as the ferry
# launcher's first `serve` after a build writes it when that broker stops.
train_ferry_archive() {
    local dir="$run_dir/ferry-cds-training"
    mkdir -p "$dir"
    sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" -e "s|@DATA_DIR@|$dir/data|g" \
        "$bench/kafka/server.properties" >"$dir/server.properties"
    launch_ferry "$dir/server.properties" "$dir/broker.log" -XX:ArchiveClassesAtExit="$ferry_archive" \
        -Xlog:cds=off,cds+dynamic=off
    python3 "$bench/bench.py" probe --port "$port" --since-ns "$(date +%s%N)" --pid "$broker_pid" \
        >"$dir/startup-ms" || fail "Ferry did not start; see $dir/broker.log"
    tool "$dir/produce.out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" \
        --topic training --num-records 10000 --record-size 1024 --throughput -1 --command-property acks=1
    tool "$dir/consume.out" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
        --topic training --group training --num-records 10000 --timeout 60000
    stop_pid "$broker_pid" 60
    broker_pid=""
    rm -rf "$dir/data"
    [[ -s "$ferry_archive" ]] || fail "no class-data sharing archive was written; see $dir/broker.log"
}

# ---- the run --------------------------------------------------------------------------------------------------------

if [[ $jfr == 1 ]]; then
    # the JDK's "profile" settings, sampling Java stacks every 1 ms instead of 10: a broker spends little CPU in Java
    # code, and at 10 ms a workload yields too few samples to rank methods
    java_home="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.home/ { print $2 }')"
    jfr_settings="$run_dir/profile-1ms.jfc"
    sed 's|\(control="method-sampling-java-interval">\)[^<]*|\11 ms|' "$java_home/lib/jfr/profile.jfc" \
        >"$jfr_settings"
fi

order=()
for ((round = 1; round <= rounds; round++)); do
    for broker in ferry kafka; do
        [[ -z "$only" || "$only" == "$broker" ]] && order+=("$broker")
    done
done
note=""
if [[ "$scale" != 1 ]]; then
    note="Record counts scaled by $scale from the full workloads (2,000,000 / 5,000,000 / 10,000)."
fi
ferry_commit="$(ferry_commit_label)"
date="$(date '+%Y-%m-%d %H:%M %Z')" ferry_commit="$ferry_commit" kafka_version="$kafka_version" rounds="$rounds" \
    order="${order[*]}" jvm_opts="$jvm_opts" ferry_jvm_opts="$(shipped_jvm_opts_text ferry)" \
    kafka_jvm_opts="$(shipped_jvm_opts_text kafka)" cds="$cds" note="$note" records_1k="$records_1k" \
    records_100b="$records_100b" records_latency="$records_latency" python3 - "$run_dir/settings.json" <<'EOF'
import json, os, sys
env = os.environ
json.dump({"date": env["date"], "ferry_commit": env["ferry_commit"], "kafka_version": env["kafka_version"],
           "rounds": int(env["rounds"]), "order": env["order"].split(), "jvm_opts": env["jvm_opts"],
           "ferry_jvm_opts": env["ferry_jvm_opts"], "kafka_jvm_opts": env["kafka_jvm_opts"],
           "ferry_cds": env["cds"] == "1" and "ferry" in env["order"].split(),
           "note": env["note"], "records": {"produce_1k": int(env["records_1k"]),
                                            "produce_100b": int(env["records_100b"]),
                                            "latency": int(env["records_latency"])}},
          open(sys.argv[1], "w"), indent=2)
EOF

log "run directory $run_dir"
if [[ "$only" != kafka && $cds == 1 ]]; then
    log "ferry: writing the class-data sharing archive"
    train_ferry_archive
fi
declare -A done_rounds=([ferry]=0 [kafka]=0)
for broker in "${order[@]}"; do
    done_rounds[$broker]=$(( ${done_rounds[$broker]} + 1 ))
    run_round "$broker" "${done_rounds[$broker]}"
done

echo
if [[ $write_docs == yes ]]; then
    python3 "$bench/bench.py" report "$run_dir" --write "$root/docs/benchmarks.md"
else
    python3 "$bench/bench.py" report "$run_dir"
fi
