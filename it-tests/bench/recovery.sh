#!/usr/bin/env bash
# The recovery benchmark (docs/benchmarks.md, "Recovery after kill -9"): how long after a SIGKILL a broker holding
# many partitions and gigabytes of data acknowledges a produce again, for Ferry and then Apache Kafka.
#
# For each broker on a fresh data directory: creates the partitions, fills them with ProducerPerformance (acks=1,
# large batches), starts a producer that keeps writing, then, again and again, SIGKILLs the broker, restarts it on
# the same data and measures from the kill to the first acknowledged produce (acks=1) to a partition chosen at
# random (recovery.py first-produce). Reuses compare.sh's way of building Ferry and assembling Kafka from Maven
# Central. Outputs of every tool and broker stay in target/recovery/<date>/. Never part of the build or CI.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/../.." && pwd)"

usage() {
    cat <<'EOF'
Usage: it-tests/bench/recovery.sh [options]

  --partitions N    partitions in all (default 1000), in topics of up to 10
  --gigabytes G     data to write before the kills (default 10)
  --kills N         kills per broker (default 10)
  --seed S          seed of the random partition choice (default: random, printed)
  --only B          run one broker only: ferry or kafka
  --skip-build      use the Ferry jar already in broker/target
  --ferry-jar FILE  use this Ferry jar; implies --skip-build
  --no-cds          start Ferry without the class-data sharing archive the ferry launcher uses
  --plain-jvm       start both brokers without the JVM options of their start scripts (broker/jvm.options for
                    Ferry, kafka-run-class.sh's for Kafka): only BENCH_JVM_OPTS
  --write-docs      write the results into docs/benchmarks.md even for a partial run (--only, fewer partitions,
                    less data or fewer kills than the defaults)
  --no-write-docs   never write docs/benchmarks.md
  --port P          the brokers' listener port (default 19192; Kafka's controller uses P+1)
  -h, --help        this text

Examples: a quick try, `--partitions 100 --gigabytes 1 --kills 3`; the full run, no option (about 15 minutes on
2 cores, 10 GiB of disk at a time). Environment: BENCH_JVM_OPTS (both brokers' JVM options, default -Xmx1g),
BENCH_TOOLS_JVM_OPTS (the tools', default -Xmx512m), BENCH_MVN_ARGS (extra Maven arguments, e.g. -o).
EOF
}

partitions=1000
gigabytes=10
kills=10
seed=""
only=""
build=1
source_jar=""
cds=1
shipped_jvm_opts=1
write_docs=auto
port=19192
while [[ $# -gt 0 ]]; do
    case "$1" in
        --partitions) partitions="$2"; shift 2 ;;
        --gigabytes) gigabytes="$2"; shift 2 ;;
        --kills) kills="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --skip-build) build=0; shift ;;
        --ferry-jar) source_jar="$2"; build=0; shift 2 ;;
        --no-cds) cds=0; shift ;;
        --plain-jvm) shipped_jvm_opts=0; shift ;;
        --write-docs) write_docs=yes; shift ;;
        --no-write-docs) write_docs=no; shift ;;
        --port) port="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "recovery.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$partitions" =~ ^[1-9][0-9]*$ ]] || { echo "recovery.sh: --partitions needs a positive number" >&2; exit 2; }
[[ "$kills" =~ ^[1-9][0-9]*$ ]] || { echo "recovery.sh: --kills needs a positive number" >&2; exit 2; }
[[ "$gigabytes" =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "recovery.sh: --gigabytes needs a positive number" >&2; exit 2; }
[[ -z "$only" || "$only" == ferry || "$only" == kafka ]] || { echo "recovery.sh: --only ferry|kafka" >&2; exit 2; }
seed="${seed:-$RANDOM$RANDOM}"
if [[ $write_docs == auto ]]; then
    if [[ -z "$only" && $partitions == 1000 && "$gigabytes" == 10 && $kills == 10 ]]; then
        write_docs=yes
    else
        write_docs=no
    fi
fi

jvm_opts="${BENCH_JVM_OPTS:--Xmx1g}"
tools_jvm_opts="${BENCH_TOOLS_JVM_OPTS:--Xmx512m}"
mvn_args="${BENCH_MVN_ARGS:-}"
controller_port=$((port + 1))
bootstrap="127.0.0.1:$port"
kafka_version=4.3.1
# confluent-kafka (librdkafka) is installed for the system's Python
probe_python="${BENCH_PROBE_PYTHON:-/usr/bin/python3}"
per_topic=$((partitions < 10 ? partitions : 10))
topics=$(((partitions + per_topic - 1) / per_topic))
partitions=$((topics * per_topic))
record_size=8192
fill_bytes=$(awk -v g="$gigabytes" 'BEGIN { printf "%.0f", g * 1024 * 1024 * 1024 }')
# the background producer: 1 KiB records at a steady rate to the first topic, so each kill tears a tail
writer_rate=5000
writing_before_kill_s=3

run_dir="$bench/target/recovery/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
log() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "recovery.sh: $*" >&2; exit 1; }
# shellcheck source=it-tests/bench/brokers.sh
source "$bench/brokers.sh"

# ---- room on disk --------------------------------------------------------------------------------------------------

# one broker's data at a time, plus a quarter for indexes, the writer and slack
need_kb=$(awk -v b="$fill_bytes" 'BEGIN { printf "%.0f", b * 1.25 / 1024 + 1048576 }')
free_kb=$(df --output=avail -k "$run_dir" | tail -n 1 | tr -d ' ')
df -h "$run_dir" | sed 's/^/  /'
((free_kb > need_kb)) || fail "$((need_kb / 1048576)) GiB free needed in $run_dir, $((free_kb / 1048576)) GiB available"

# ---- cleanup: whatever this script started dies with it, and the data goes ----------------------------------------

broker_pid=""
writer_pid=""
probe_pid=""
data=""
cleanup() {
    [[ -n "$probe_pid" ]] && { stop_pid "$probe_pid" 2; probe_pid=""; }
    [[ -n "$writer_pid" ]] && { stop_pid "$writer_pid" 5; writer_pid=""; }
    [[ -n "$broker_pid" ]] && { stop_pid "$broker_pid" 60; broker_pid=""; }
    if [[ -n "$data" ]]; then
        rm -rf "$data"
        data=""
    fi
}
trap cleanup EXIT
trap 'echo "recovery.sh: interrupted" >&2; exit 130' INT TERM

check_ports_free
"$probe_python" -c 'import confluent_kafka' 2>/dev/null \
    || fail "$probe_python lacks confluent_kafka (set BENCH_PROBE_PYTHON to a Python that has it)"

# ---- Ferry and Kafka, as compare.sh gets them -----------------------------------------------------------------------

prepare_brokers

# ---- brokers and tools ----------------------------------------------------------------------------------------------

# tool OUTPUT MAIN-CLASS ARGS...: runs one of Kafka's tools in the foreground, stdout to OUTPUT, stderr beside it.
tool() {
    local out=$1
    shift
    # shellcheck disable=SC2086
    timeout --kill-after=10 3600 java $tools_jvm_opts \
        -Dlog4j2.configurationFile="$bench/kafka/tools-log4j2.properties" -cp "$kafka_cp" "$@" \
        >"$out" 2>"${out%.out}.err" || { tail -n 20 "${out%.out}.err" >&2; fail "$(basename "$out") failed"; }
}

# start_broker BROKER DIR LOG: starts the broker in the background on the data in DIR; sets broker_pid.
start_broker() {
    local broker=$1 dir=$2 out=$3
    check_ports_free
    if [[ $broker == kafka ]]; then
        launch_kafka "$dir/server.properties" "$out" "$out.server.log"
    else
        # shellcheck disable=SC2046
        launch_ferry "$dir/server.properties" "$out" $(ferry_cds_opts)
    fi
}

# await_broker: waits for a Metadata answer from the broker just started.
await_broker() {
    python3 "$bench/bench.py" probe --port "$port" --since-ns "$(date +%s%N)" --pid "$broker_pid" --timeout 600 \
        >/dev/null || fail "the broker did not start; see its log in $run_dir"
}

write_properties() {
    local dir=$1
    sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" -e "s|@DATA_DIR@|$dir/data|g" \
        "$bench/kafka/server.properties" >"$dir/server.properties"
}

format_kafka() {
    local dir=$1 cluster_id
    cluster_id=$(python3 -c 'import base64, os
while True:
    id = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not id.startswith("-"):
        print(id)
        break')
    tool "$dir/format.out" kafka.tools.StorageTool format --config "$dir/server.properties" --cluster-id "$cluster_id"
}

# A short run of Ferry on scratch data whose loaded classes become the class-data sharing archive, as the ferry
# launcher's first `serve` after a build does.
train_ferry_archive() {
    local dir="$run_dir/ferry-cds-training"
    mkdir -p "$dir"
    write_properties "$dir"
    check_ports_free
    launch_ferry "$dir/server.properties" "$dir/broker.log" -XX:ArchiveClassesAtExit="$ferry_archive" \
        -Xlog:cds=off,cds+dynamic=off
    await_broker
    "$probe_python" "$bench/recovery.py" create-topics --bootstrap "$bootstrap" --topics 1 --partitions-per-topic 1
    echo 0 >"$dir/start"
    "$probe_python" "$bench/recovery.py" first-produce --bootstrap "$bootstrap" --topic recovery-0 --partition 0 \
        --start-file "$dir/start" >/dev/null 2>&1
    stop_pid "$broker_pid" 60
    broker_pid=""
    rm -rf "$dir/data"
    [[ -s "$ferry_archive" ]] || fail "no class-data sharing archive was written; see $dir/broker.log"
}

run_broker() {
    local broker=$1
    local dir="$run_dir/$broker"
    mkdir -p "$dir"
    data="$dir/data"
    write_properties "$dir"
    log "$broker: $partitions partitions, $gigabytes GiB"
    [[ $broker == kafka ]] && format_kafka "$dir"
    start_broker "$broker" "$dir" "$dir/broker-0.log"
    await_broker
    "$probe_python" "$bench/recovery.py" create-topics --bootstrap "$bootstrap" --topics "$topics" \
        --partitions-per-topic "$per_topic"

    # fill: the topics in turn, each its share of the bytes, in large batches
    local records=$((fill_bytes / record_size / topics + 1)) fill_start=$SECONDS
    for ((t = 0; t < topics; t++)); do
        tool "$dir/fill-$t.out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" \
            --topic "recovery-$t" --num-records "$records" --record-size "$record_size" --throughput -1 \
            --command-property acks=1 linger.ms=20 batch.size=1048576 max.request.size=4194304 \
            buffer.memory=134217728
    done
    local on_disk
    on_disk=$(du -s --block-size=1 "$data" | cut -f1)
    echo "$on_disk" >"$dir/disk-bytes"
    log "  filled in $((SECONDS - fill_start)) s: $((on_disk / 1048576)) MiB on disk"

    # the writer keeps producing across every kill; the Java client reconnects by itself
    # shellcheck disable=SC2086
    java $tools_jvm_opts -Dlog4j2.configurationFile="$bench/kafka/tools-log4j2.properties" -cp "$kafka_cp" \
        org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" --topic recovery-0 \
        --num-records 1000000000 --record-size 1024 --throughput "$writer_rate" \
        --command-property acks=1 linger.ms=5 delivery.timeout.ms=600000 >"$dir/writer.out" 2>"$dir/writer.err" &
    writer_pid=$!

    : >"$dir/../$broker-recovery-ms"
    for ((k = 1; k <= kills; k++)); do
        local topic="recovery-$((RANDOM % topics))" partition=$((RANDOM % per_topic)) start_file="$dir/kill-$k.start"
        sleep "$writing_before_kill_s"
        "$probe_python" "$bench/recovery.py" first-produce --bootstrap "$bootstrap" --topic "$topic" \
            --partition "$partition" --start-file "$start_file" >"$dir/kill-$k.ms" 2>"$dir/kill-$k.err" &
        probe_pid=$!
        # the probe has loaded its client library by now; it starts trying once the stamp is there
        sleep 1
        local stamp
        stamp=$(date +%s%N)
        kill -KILL "$broker_pid"
        echo "$stamp" >"$start_file"
        wait "$broker_pid" 2>/dev/null || true
        start_broker "$broker" "$dir" "$dir/broker-$k.log"
        wait "$probe_pid" || fail "kill $k: no produce was acknowledged; see $dir/kill-$k.err"
        probe_pid=""
        cat "$dir/kill-$k.ms" >>"$dir/../$broker-recovery-ms"
        log "  kill $k: $topic/$partition acknowledged $(cat "$dir/kill-$k.ms") ms after the kill"
    done

    stop_pid "$writer_pid" 5
    writer_pid=""
    stop_pid "$broker_pid" 120
    broker_pid=""
    rm -rf "$data"
    data=""
}

# ---- the run --------------------------------------------------------------------------------------------------------

ferry_commit="$(ferry_commit_label)"
log "run directory $run_dir, seed $seed"
RANDOM=$seed

if [[ "$only" != kafka && $cds == 1 ]]; then
    log "ferry: writing the class-data sharing archive"
    train_ferry_archive
fi
for broker in ferry kafka; do
    [[ -z "$only" || "$only" == "$broker" ]] || continue
    run_broker "$broker"
done

ferry_cds=0
[[ "$only" != kafka && $cds == 1 ]] && ferry_cds=1
date="$(date '+%Y-%m-%d %H:%M %Z')" ferry_commit="$ferry_commit" kafka_version="$kafka_version" \
    partitions="$partitions" topics="$topics" per_topic="$per_topic" kills="$kills" \
    seed="$seed" jvm_opts="$jvm_opts" ferry_jvm_opts="$(shipped_jvm_opts_text ferry)" \
    kafka_jvm_opts="$(shipped_jvm_opts_text kafka)" \
    ferry_cds="$ferry_cds" python3 - "$run_dir/settings.json" <<'EOF'
import json, os, sys
env = os.environ
json.dump({"date": env["date"], "ferry_commit": env["ferry_commit"], "kafka_version": env["kafka_version"],
           "partitions": int(env["partitions"]), "topics": int(env["topics"]),
           "partitions_per_topic": int(env["per_topic"]), "kills": int(env["kills"]), "seed": env["seed"],
           "jvm_opts": env["jvm_opts"], "ferry_jvm_opts": env["ferry_jvm_opts"],
           "kafka_jvm_opts": env["kafka_jvm_opts"], "ferry_cds": env["ferry_cds"] == "1"},
          open(sys.argv[1], "w"), indent=2)
EOF

echo
if [[ $write_docs == yes ]]; then
    python3 "$bench/recovery.py" report "$run_dir" --write "$root/docs/benchmarks.md"
else
    python3 "$bench/recovery.py" report "$run_dir"
fi
