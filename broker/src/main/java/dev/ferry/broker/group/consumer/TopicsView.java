package dev.ferry.broker.group.consumer;

import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The topics as one group operation sees them: read once from the {@link TopicManager}, so that a topic created,
 * deleted or grown meanwhile cannot make the operation's views of it disagree.
 *
 * <p>Regular expressions are matched against every topic name with {@code java.util.regex} and
 * {@code Matcher.matches()}, where Kafka uses RE2/J: the syntax common to both behaves alike, but patterns using
 * backtracking features (back-references, look-around) are accepted here while Kafka refuses them.
 */
final class TopicsView {

    /** What a group's target assignment depends on for one subscribed topic. */
    record TopicShape(UUID id, int partitions) {
    }

    private final Map<String, TopicInfo> byName = new HashMap<>();
    private final Map<UUID, TopicInfo> byId = new HashMap<>();
    private final String regexScope;

    private TopicsView(Collection<TopicInfo> topics, String regexScope) {
        for (TopicInfo topic : topics) {
            byName.put(topic.name(), topic);
            byId.put(topic.id(), topic);
        }
        this.regexScope = regexScope;
    }

    /**
     * The topics as now, regular expressions resolving only among those whose names start with {@code regexScope}
     * (a tenant's {@code <application>.}; null: every topic). Subscriptions by name are not narrowed: they were
     * authorized when the member sent them.
     */
    static TopicsView of(TopicManager topics, String regexScope) {
        return new TopicsView(topics.topics(), regexScope);
    }

    /** Whether a regular expression may resolve to {@code topic}. */
    private boolean inRegexScope(String topic) {
        return regexScope == null || topic.startsWith(regexScope);
    }

    /** The topic of {@code id}, or null when it does not exist (any more). */
    TopicInfo topic(UUID id) {
        return byId.get(id);
    }

    /** The existing topics {@code member} subscribes to, by name or regular expression. */
    Set<TopicInfo> topicsOf(ConsumerGroupMember member) {
        Set<TopicInfo> topics = new HashSet<>();
        if (member.subscribedTopicRegex() == null) {
            for (String name : member.subscribedTopicNames()) {
                TopicInfo topic = byName.get(name);
                if (topic != null) {
                    topics.add(topic);
                }
            }
            return topics;
        }
        for (TopicInfo topic : byName.values()) {
            if (inRegexScope(topic.name()) && member.subscribes(topic.name())) {
                topics.add(topic);
            }
        }
        return topics;
    }

    /** The ids of the existing topics {@code member} subscribes to. */
    Set<UUID> topicIdsOf(ConsumerGroupMember member) {
        Set<UUID> ids = new HashSet<>();
        topicsOf(member).forEach(topic -> ids.add(topic.id()));
        return ids;
    }

    /**
     * Id and partition count of every existing topic some member subscribes to, by name. Each distinct regular
     * expression is matched once, however many members share it.
     */
    SortedMap<String, TopicShape> shapesOf(Collection<ConsumerGroupMember> members) {
        Set<String> names = new HashSet<>();
        Map<String, Pattern> patterns = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            names.addAll(member.subscribedTopicNames());
            if (member.subscribedTopicPattern() != null) {
                patterns.putIfAbsent(member.subscribedTopicRegex(), member.subscribedTopicPattern());
            }
        }
        SortedMap<String, TopicShape> shapes = new TreeMap<>();
        for (String name : names) {
            TopicInfo topic = byName.get(name);
            if (topic != null) {
                shapes.put(name, new TopicShape(topic.id(), topic.partitions()));
            }
        }
        if (!patterns.isEmpty()) {
            for (TopicInfo topic : byName.values()) {
                if (!inRegexScope(topic.name())) {
                    continue;
                }
                for (Pattern pattern : patterns.values()) {
                    if (pattern.matcher(topic.name()).matches()) {
                        shapes.put(topic.name(), new TopicShape(topic.id(), topic.partitions()));
                        break;
                    }
                }
            }
        }
        return shapes;
    }

    /** The names of every topic some member subscribes to: by name, existing or not, and matched by regex. */
    Set<String> subscribedNames(Collection<ConsumerGroupMember> members) {
        Set<String> names = new HashSet<>();
        for (ConsumerGroupMember member : members) {
            names.addAll(member.subscribedTopicNames());
            if (member.subscribedTopicRegex() != null) {
                topicsOf(member).forEach(topic -> names.add(topic.name()));
            }
        }
        return names;
    }
}
