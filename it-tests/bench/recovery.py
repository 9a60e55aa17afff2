#!/usr/bin/env python3
"""Helpers of the recovery benchmark (recovery.sh); they need confluent-kafka (librdkafka), as /usr/bin/python3 has.

  recovery.py create-topics --bootstrap B --topics N --partitions-per-topic P
      Creates topics recovery-0 .. recovery-(N-1) with P partitions each and waits until all of them are created.
  recovery.py first-produce --bootstrap B --topic T --partition P --start-file F [--timeout S]
      Loads the client library, then waits for F to appear; F holds a time.time_ns() / `date +%s%N` stamp taken just
      before the broker was killed. From then on it tries to produce one record (acks=1) to T/P, each attempt a new
      producer with short timeouts, and prints the milliseconds from the stamp to the first acknowledgement.
  recovery.py report RUN_DIR [--write FILE]
      Prints the medians of a run (RUN_DIR/<broker>-recovery-ms, one figure a line), saves the section as
      RUN_DIR/report.md and, with --write, puts it between the recovery-results markers of FILE.
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the machine description and the markers, shared with compare.sh)

BROKERS = ("ferry", "kafka")


def create_topics(args):
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": args.bootstrap, "log_level": 3})
    topics = [NewTopic(f"recovery-{index}", args.partitions_per_topic, 1) for index in range(args.topics)]
    for topic, future in admin.create_topics(topics, request_timeout=120).items():
        try:
            future.result(timeout=180)
        except KafkaException as e:
            # a retried request finds the topics its first attempt created
            if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    metadata = admin.list_topics(timeout=60)
    for topic in topics:
        found = metadata.topics.get(topic.topic)
        if found is None or len(found.partitions) != args.partitions_per_topic:
            sys.exit(f"create-topics: {topic.topic} has not {args.partitions_per_topic} partitions")


def first_produce(args):
    from confluent_kafka import KafkaException, Producer
    settings = {
        "bootstrap.servers": args.bootstrap,
        "acks": 1,
        "enable.idempotence": False,
        # one attempt is one request on a fresh connection: a producer that waited through a dead broker's
        # reconnect backoff would measure librdkafka's backoff, not the broker
        "message.timeout.ms": 2000,
        "socket.connection.setup.timeout.ms": 1000,
        "reconnect.backoff.ms": 5,
        "reconnect.backoff.max.ms": 20,
        "retry.backoff.ms": 5,
        "topic.metadata.refresh.interval.ms": 100,
        "linger.ms": 0,
        "log_level": 0,
    }
    while not os.path.exists(args.start_file):
        time.sleep(0.001)
    while True:
        with open(args.start_file) as file:
            text = file.read().strip()
        if text:
            break
        time.sleep(0.001)
    since_ns = int(text)
    deadline = time.monotonic() + args.timeout
    attempts = 0
    while time.monotonic() < deadline:
        attempts += 1
        outcome = []
        producer = Producer(settings)
        try:
            producer.produce(args.topic, value=b"recovery-probe", partition=args.partition,
                             on_delivery=lambda error, message: outcome.append(error))
            producer.flush(3)
        except (KafkaException, BufferError):
            pass
        if outcome and outcome[0] is None:
            elapsed_ms = (time.time_ns() - since_ns) / 1_000_000
            print(f"{elapsed_ms:.0f}")
            print(f"first-produce: acknowledged after {attempts} attempt(s)", file=sys.stderr)
            return
        time.sleep(0.005)
    sys.exit(f"first-produce: no acknowledgement from {args.bootstrap} within {args.timeout} s")


def read_figures(run_dir, broker):
    path = os.path.join(run_dir, f"{broker}-recovery-ms")
    if not os.path.exists(path):
        return []
    with open(path) as file:
        return [float(line) for line in file if line.strip()]


def disk_sizes(run_dir, figures):
    """'Ferry 10.2 GiB, Kafka 10.0 GiB': each broker's data when its kills began."""
    sizes = []
    for broker in BROKERS:
        path = os.path.join(run_dir, broker, "disk-bytes")
        if figures.get(broker) and os.path.exists(path):
            with open(path) as file:
                sizes.append(f"{broker.capitalize()} {int(file.read().strip()) / 2 ** 30:.1f} GiB")
    return ", ".join(sizes)


def render(run_dir, figures):
    with open(os.path.join(run_dir, "settings.json")) as file:
        settings = json.load(file)
    lines = [f"Run of {settings['date']}: Ferry at commit {settings['ferry_commit']} against Apache Kafka "
             f"{settings['kafka_version']}: {settings['partitions']:,} partitions ({settings['topics']} topics of "
             f"{settings['partitions_per_topic']}), on disk when the kills began {disk_sizes(run_dir, figures)}, "
             f"{settings['kills']} kills per broker, random partitions chosen with seed {settings['seed']}.", "",
             f"Both brokers: {bench.jvm_sentence(settings)}; the same `server.properties` (OS-managed flushing).",
             "",
             "| Kill → first acknowledged produce | Median (ms) | Min (ms) | Max (ms) | Kills |",
             "|---|---:|---:|---:|---:|"]
    for broker in BROKERS:
        values = figures.get(broker)
        if values:
            lines.append(f"| {broker.capitalize()} | {statistics.median(values):,.0f} | {min(values):,.0f} | "
                         f"{max(values):,.0f} | {len(values)} |")
    lines += ["", "Every kill (ms): " + "; ".join(
        f"{broker.capitalize()} {', '.join(f'{value:.0f}' for value in figures[broker])}"
        for broker in BROKERS if figures.get(broker)), "", "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in bench.machine_description(run_dir)]
    return "\n".join(lines)


def report(args):
    figures = {broker: read_figures(args.run_dir, broker) for broker in BROKERS}
    if not any(figures.values()):
        raise SystemExit(f"report: no recovery figures in {args.run_dir}")
    text = render(args.run_dir, figures)
    with open(os.path.join(args.run_dir, "report.md"), "w") as file:
        file.write(text + "\n")
    print(text)
    if args.write:
        bench.replace_between_markers(args.write, "recovery-results", text, "Benchmarks")
        print(f"\nwritten to {args.write}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create-topics")
    create.add_argument("--bootstrap", required=True)
    create.add_argument("--topics", type=int, required=True)
    create.add_argument("--partitions-per-topic", type=int, required=True)
    create.set_defaults(run=create_topics)

    probe = commands.add_parser("first-produce")
    probe.add_argument("--bootstrap", required=True)
    probe.add_argument("--topic", required=True)
    probe.add_argument("--partition", type=int, required=True)
    probe.add_argument("--start-file", required=True)
    probe.add_argument("--timeout", type=float, default=300)
    probe.set_defaults(run=first_produce)

    report_parser = commands.add_parser("report")
    report_parser.add_argument("run_dir")
    report_parser.add_argument("--write")
    report_parser.set_defaults(run=report)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
