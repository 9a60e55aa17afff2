package dev.ferry.broker.cli;

import dev.ferry.client.AdminClient;
import dev.ferry.client.ClientSettings;
import dev.ferry.client.GroupDescription;
import dev.ferry.client.GroupListing;
import dev.ferry.client.KafkaCluster;
import dev.ferry.client.TopicPartition;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ferry groups list|describe}: consumer groups, their members, committed offsets and lag. */
@Command(name = "groups", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "List and describe consumer groups.",
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.DescribeGroup.class})
public final class GroupsCommand extends CommandGroup {

    /** {@code ferry groups list}: every group's id, one per line, sorted. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every group's id, one per line.")
    static final class ListGroups extends ClientCommand {

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                for (GroupListing group : new AdminClient(cluster).listGroups()) {
                    out().println(group.groupId());
                }
            }
            return 0;
        }
    }

    /**
     * {@code ferry groups describe}: the group's state and members, then for each partition with a committed offset
     * or an owner: the committed offset, the log end offset, the lag between them, and the owner.
     */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Show a group's members, and its committed offsets and lag per partition.")
    static final class DescribeGroup extends ClientCommand {

        private static final String NONE = "-";

        @Parameters(paramLabel = "GROUP", description = "The group to describe.")
        private String groupId;

        @Override
        int run(ClientSettings settings) {
            try (KafkaCluster cluster = new KafkaCluster(settings)) {
                AdminClient admin = new AdminClient(cluster);
                GroupDescription group = admin.describeGroup(groupId);
                Map<TopicPartition, Long> committed = admin.committedOffsets(groupId);
                Map<TopicPartition, String> owners = new HashMap<>();
                for (GroupDescription.Member member : group.members()) {
                    member.assignment().forEach(partition -> owners.put(partition, member.memberId()));
                }
                TreeSet<TopicPartition> partitions = new TreeSet<>(committed.keySet());
                partitions.addAll(owners.keySet());
                Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of() : admin.endOffsets(partitions);
                print(group, partitions, committed, ends, owners, out());
            }
            return 0;
        }

        private static void print(GroupDescription group, TreeSet<TopicPartition> partitions,
                                  Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends,
                                  Map<TopicPartition, String> owners, PrintWriter out) {
            String protocol = group.protocolType().isEmpty() ? group.protocol()
                    : group.protocolType() + (group.protocol().isEmpty() ? "" : "/" + group.protocol());
            out.println("Group: " + group.groupId() + "  Type: " + group.type() + "  State: " + group.state()
                    + "  Protocol: " + (protocol.isEmpty() ? NONE : protocol) + "  Members: "
                    + group.members().size());
            if (!group.members().isEmpty()) {
                out.println();
                Table members = new Table("MEMBER-ID", "CLIENT-ID", "HOST", "PARTITIONS");
                for (GroupDescription.Member member : group.members()) {
                    members.row(member.memberId(), member.clientId(), member.host(),
                            member.assignment().isEmpty() ? NONE : partitionList(member.assignment()));
                }
                members.print(out);
            }
            out.println();
            if (partitions.isEmpty()) {
                out.println("No committed offsets.");
                return;
            }
            Table offsets = new Table("TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID");
            for (TopicPartition partition : partitions) {
                Long offset = committed.get(partition);
                Long end = ends.get(partition);
                String lag = offset == null || end == null ? NONE : String.valueOf(Math.max(0, end - offset));
                offsets.row(partition.topic(), partition.partition(), offset == null ? NONE : offset,
                        end == null ? NONE : end, lag, owners.getOrDefault(partition, NONE));
            }
            offsets.print(out);
        }

        /** {@code orders:0,1 payments:2}: partitions grouped by topic. */
        private static String partitionList(List<TopicPartition> partitions) {
            Map<String, List<Integer>> byTopic = partitions.stream().collect(Collectors.groupingBy(
                    TopicPartition::topic, TreeMap::new,
                    Collectors.mapping(TopicPartition::partition, Collectors.toList())));
            return byTopic.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf)
                            .collect(Collectors.joining(",")))
                    .collect(Collectors.joining(" "));
        }
    }
}
