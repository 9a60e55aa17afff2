# Sourced by compare.sh and recovery.sh: how both get, start and stop the two brokers the same way.
# Expects: bench, root, run_dir, port, controller_port, build, only, source_jar, mvn_args, kafka_version, cds,
# shipped_jvm_opts, and the functions log and fail.

# The JVM options of Kafka's start scripts (KAFKA_JVM_PERFORMANCE_OPTS of bin/kafka-run-class.sh, as
# kafka-server-start.sh runs the broker); its heap options give way to the heap limit both brokers get.
kafka_shipped_jvm_opts="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
-XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"

# stop_pid PID GRACE: SIGTERM, then SIGKILL after GRACE seconds; reaps the process.
stop_pid() {
    local pid=$1 grace=$2
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Fails when anything answers on the brokers' ports: a broker answering there now is not ours.
check_ports_free() {
    local p
    for p in "$port" "$controller_port"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            fail "port $p is in use; choose another with --port"
        fi
    done
}

# Builds Ferry unless told not to and copies its jar and JVM options to $ferry_jar and $ferry_jvm_options (so a
# rebuild during the run cannot change them under the running broker); resolves Apache Kafka's class path from Maven
# Central into $kafka_cp.
prepare_brokers() {
    if [[ $build == 1 && "$only" != kafka ]]; then
        log "building Ferry"
        # shellcheck disable=SC2086
        (cd "$root" && mvn -q -B $mvn_args -Dmaven.test.skip=true -pl broker -am package)
    fi
    ferry_jar="$run_dir/ferry.jar"
    ferry_archive="$run_dir/ferry.jsa"
    ferry_jvm_options="$run_dir/ferry-jvm.options"
    if [[ "$only" != kafka ]]; then
        source_jar="${source_jar:-$root/broker/target/ferry.jar}"
        [[ -f "$source_jar" ]] || fail "$source_jar is missing"
        cp "$source_jar" "$ferry_jar"
        cp "$root/broker/jvm.options" "$ferry_jvm_options"
    fi
    local classpath_file="$bench/target/kafka.classpath"
    if [[ ! -s "$classpath_file" || "$bench/kafka/pom.xml" -nt "$classpath_file" ]]; then
        log "resolving Apache Kafka $kafka_version from Maven"
        # shellcheck disable=SC2086
        mvn -q -B $mvn_args -f "$bench/kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file"
    fi
    kafka_cp="$(cat "$classpath_file")"
    [[ "$kafka_cp" == *"kafka_2.13-$kafka_version.jar"* ]] || fail "Kafka's class path lacks kafka_2.13 $kafka_version"
}

# The JVM options each broker's own start script gives it, ahead of the common $jvm_opts; with --plain-jvm none.
ferry_jvm_opts() {
    if [[ $shipped_jvm_opts == 1 ]]; then echo "@$ferry_jvm_options"; fi
}
kafka_jvm_opts() {
    if [[ $shipped_jvm_opts == 1 ]]; then echo "$kafka_shipped_jvm_opts"; fi
}

# The JVM options of a broker's start script as one line, for the report; nothing for a broker left out of the run.
shipped_jvm_opts_text() {
    if [[ $shipped_jvm_opts == 0 || ( -n "$only" && "$only" != "$1" ) ]]; then
        return
    elif [[ $1 == ferry ]]; then
        sed -e 's/#.*//' "$ferry_jvm_options" | xargs
    else
        echo "$kafka_shipped_jvm_opts" | xargs
    fi
}

# The class-data sharing options the ferry launcher gives the JVM for `serve` (see the ferry script), once
# $ferry_archive is written; none with --no-cds.
ferry_cds_opts() {
    if [[ $cds == 1 && -s "$ferry_archive" ]]; then
        echo "-XX:SharedArchiveFile=$ferry_archive -Xlog:cds=off,cds+dynamic=off"
    fi
}

# launch_ferry CONFIG OUT [JVM OPTION...]: starts `ferry serve` in the background with the launcher's java command
# (Ferry's JVM options, the given ones, then the common $jvm_opts), its output to OUT; sets broker_pid.
launch_ferry() {
    local config=$1 out=$2
    shift 2
    # shellcheck disable=SC2086
    java $(ferry_jvm_opts) "$@" $jvm_opts -jar "$ferry_jar" serve --config "$config" >"$out" 2>&1 &
    broker_pid=$!
}

# launch_kafka CONFIG OUT SERVER_LOG: starts Kafka in the background as kafka-server-start.sh would (its JVM options,
# then the common $jvm_opts), its console output to OUT and its log to SERVER_LOG; sets broker_pid.
launch_kafka() {
    local config=$1 out=$2 server_log=$3
    # shellcheck disable=SC2086
    java $(kafka_jvm_opts) $jvm_opts -Dkafka.log.file="$server_log" \
        -Dlog4j2.configurationFile="$bench/kafka/log4j2.properties" -cp "$kafka_cp" kafka.Kafka "$config" \
        >"$out" 2>&1 &
    broker_pid=$!
}

# What the results name as the Ferry that ran: the commit, or why it cannot be told.
ferry_commit_label() {
    local commit
    commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$source_jar" && "$source_jar" != "$root/broker/target/ferry.jar" ]]; then
        echo "unknown (the jar $(basename "$source_jar") was given)"
    elif [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
        echo "$commit (with uncommitted changes)"
    else
        echo "$commit"
    fi
}
