package dev.ferry.broker.cli;

import dev.ferry.client.AdminClient;
import dev.ferry.client.ClientSettings;
import dev.ferry.client.ClusterMetadata.PartitionInfo;
import dev.ferry.client.ClusterMetadata.TopicInfo;
import dev.ferry.client.KafkaCluster;
import dev.ferry.client.KafkaErrorException;
import dev.ferry.client.NewTopic;
import dev.ferry.protocol.Errors;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry topics list|create|describe|delete}: topic administration against a running cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "List, create, describe and delete topics.",
        subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.CreateTopic.class,
            TopicsCommand.DescribeTopics.class, TopicsCommand.DeleteTopics.class})
public final class TopicsCommand extends CommandGroup {

    /** {@code ferry topics list}: every topic's name, one per line, sorted. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every topic's name, one per line.")
    static final class ListTopics extends ClientCommand {

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                for (TopicInfo topic : new AdminClient(cluster).listTopics()) {
                    out().println(topic.name());
                }
            }
            return 0;
        }
    }

    /** {@code ferry topics create}: creates a topic, with the broker's defaults unless told otherwise. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false, description = "Create a topic.")
    static final class CreateTopic extends ClientCommand {

        @Parameters(paramLabel = "TOPIC", description = "The topic to create.")
        private String name;

        @Option(names = "--partitions", paramLabel = "N",
                description = "The number of partitions (default: the broker's num.partitions).")
        private int partitions = -1;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "The number of replicas (default: the broker's default).")
        private short replicationFactor = -1;

        @Option(names = "--config", paramLabel = "KEY=VALUE",
                description = "A topic setting, e.g. retention.ms=86400000; repeatable.")
        private Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--if-not-exists", description = "Succeed if the topic already exists.")
        private boolean ifNotExists;

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                new AdminClient(cluster).createTopic(new NewTopic(name, partitions, replicationFactor, configs));
                out().println("Created topic " + name + ".");
            } catch (KafkaErrorException e) {
                if (!(ifNotExists && e.error() == Errors.TOPIC_ALREADY_EXISTS)) {
                    throw e;
                }
            }
            return 0;
        }
    }

    /** {@code ferry topics describe}: partitions, leaders and replicas, in the layout of Kafka's own tool. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Show topics' partitions, leaders and replicas (default: every topic).")
    static final class DescribeTopics extends ClientCommand {

        @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "The topics to describe.")
        private List<String> names = new ArrayList<>();

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                AdminClient admin = new AdminClient(cluster);
                List<TopicInfo> topics = names.isEmpty() ? admin.listTopics() : admin.describeTopics(names);
                for (TopicInfo topic : topics) {
                    print(topic, out());
                }
            }
            return 0;
        }

        private static void print(TopicInfo topic, PrintWriter out) {
            int replicationFactor = topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
            out.println("Topic: " + topic.name() + "\tTopicId: " + TopicIds.format(topic.id()) + "\tPartitionCount: "
                    + topic.partitionCount() + "\tReplicationFactor: " + replicationFactor);
            for (PartitionInfo partition : topic.partitions()) {
                out.println("\tTopic: " + topic.name() + "\tPartition: " + partition.partition() + "\tLeader: "
                        + (partition.leader() < 0 ? "none" : partition.leader()) + "\tReplicas: "
                        + join(partition.replicas()) + "\tIsr: " + join(partition.isr()));
            }
        }

        private static String join(List<Integer> nodes) {
            return nodes.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    /** {@code ferry topics delete}: deletes topics and their messages. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and their messages.")
    static final class DeleteTopics extends ClientCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "The topics to delete.")
        private List<String> names = new ArrayList<>();

        @Option(names = "--if-exists", description = "Succeed for a topic that does not exist.")
        private boolean ifExists;

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                AdminClient admin = new AdminClient(cluster);
                for (String name : names) {
                    try {
                        admin.deleteTopic(name);
                        out().println("Deleted topic " + name + ".");
                    } catch (KafkaErrorException e) {
                        if (!(ifExists && e.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION)) {
                            throw e;
                        }
                    }
                }
            }
            return 0;
        }
    }
}
