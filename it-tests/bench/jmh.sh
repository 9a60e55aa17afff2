#!/usr/bin/env bash
# Ferry's JMH microbenchmarks (docs/benchmarks.md): installs the protocol and storage modules into the local Maven
# repository, builds it-tests/bench/jmh/target/benchmarks.jar and runs it. Arguments go to JMH, e.g.
#   it-tests/bench/jmh.sh                          every benchmark with its own settings
#   it-tests/bench/jmh.sh -wi 2 -i 3 LogAppend     a shorter run of the benchmarks matching LogAppend
#   it-tests/bench/jmh.sh -h                       JMH's options
# With --write-docs first, the results table also goes into docs/benchmarks.md.
# BENCH_MVN_ARGS adds Maven arguments (e.g. -o to build offline).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/../.." && pwd)"
mvn_args="${BENCH_MVN_ARGS:-}"
write_docs=0
if [[ "${1:-}" == --write-docs ]]; then
    write_docs=1
    shift
fi

cd "$root"
# shellcheck disable=SC2086
mvn -q -B $mvn_args -Dmaven.test.skip=true -pl protocol,storage -am install
# shellcheck disable=SC2086
mvn -q -B $mvn_args -f "$bench/jmh/pom.xml" package

results="$bench/jmh/target/jmh-result.json"
rm -f "$results"
java -jar "$bench/jmh/target/benchmarks.jar" -rf json -rff "$results" "$@"
if [[ -s "$results" ]]; then
    if [[ $write_docs == 1 ]]; then
        python3 "$bench/bench.py" jmh-report "$results" --write "$root/docs/benchmarks.md"
    else
        python3 "$bench/bench.py" jmh-report "$results"
    fi
fi
