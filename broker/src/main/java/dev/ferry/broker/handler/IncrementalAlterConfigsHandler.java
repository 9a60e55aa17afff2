package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.Result;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.broker.topic.TopicNames;
import dev.ferry.config.ConfigType;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.TopicConfigDef;
import dev.ferry.config.TopicConfigs;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import dev.ferry.protocol.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import dev.ferry.protocol.message.IncrementalAlterConfigsResponseData;
import dev.ferry.protocol.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs on TOPIC resources: SET and DELETE on any topic config, APPEND and SUBTRACT on list configs
 * ({@code cleanup.policy}), validated as a whole, persisted in the catalog and applied to the topic's open logs at
 * once (a new {@code retention.ms} is used by the next retention pass).
 *
 * <p>Checks and messages follow Kafka's broker preprocessing and controller: a resource named twice, a config named
 * twice in one resource, or a null value outside DELETE is INVALID_REQUEST; an invalid config is INVALID_CONFIG. Every
 * broker setting of Ferry is static, so altering the BROKER resource is INVALID_REQUEST ("Cannot update these configs
 * dynamically"), as Kafka answers for its own static settings.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {

    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    private final TopicManager topics;
    private final FerryConfig config;

    public IncrementalAlterConfigsHandler(TopicManager topics, FerryConfig config) {
        this.topics = topics;
        this.config = config;
    }

    /** A refusal: the error and its message. */
    private record Refusal(Errors error, String message) {
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(RequestContext context,
                                                                         IncrementalAlterConfigsRequestData request) {
        Map<AlterConfigsResource, Refusal> refused = new IdentityHashMap<>();
        Map<String, AlterConfigsResource> seen = new HashMap<>();
        for (AlterConfigsResource resource : request.resources()) {
            AlterConfigsResource previous = seen.put(resource.resourceType() + ":" + resource.resourceName(), resource);
            if (previous != null) {
                Refusal twice = new Refusal(Errors.INVALID_REQUEST, "Each resource must appear at most once.");
                refused.put(previous, twice);
                refused.put(resource, twice);
            }
        }
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (AlterConfigsResource resource : request.resources()) {
            Refusal refusal = refused.get(resource);
            Errors unauthorized = DescribeConfigsHandler.authorize(context, resource.resourceType(),
                    resource.resourceName(), Permission.MANAGE_TOPICS);
            if (refusal == null && unauthorized != Errors.NONE) {
                refusal = new Refusal(unauthorized, unauthorized.message());
            }
            if (refusal == null) {
                refusal = alter(resource, request.validateOnly());
            }
            response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName())
                    .setErrorCode(refusal == null ? Errors.NONE.code() : refusal.error().code())
                    .setErrorMessage(refusal == null ? null : refusal.message()));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Applies one resource's changes; null when they were applied (or would be, with validateOnly). */
    private Refusal alter(AlterConfigsResource resource, boolean validateOnly) {
        Set<String> names = new HashSet<>();
        List<String> nullValues = new ArrayList<>();
        for (AlterableConfig change : resource.configs()) {
            if (!names.add(change.name())) {
                return new Refusal(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (change.configOperation() != DELETE && change.value() == null) {
                nullValues.add(change.name());
            }
        }
        if (!nullValues.isEmpty()) {
            return new Refusal(Errors.INVALID_REQUEST,
                    "Null value not supported for : " + String.join(", ", nullValues));
        }
        for (AlterableConfig change : resource.configs()) {
            if (change.configOperation() < SET || change.configOperation() > SUBTRACT) {
                return new Refusal(Errors.INVALID_REQUEST, "Unknown operations type " + change.configOperation());
            }
        }
        ConfigResourceType type = ConfigResourceType.forId(resource.resourceType());
        return switch (type) {
            case TOPIC -> alterTopic(resource, validateOnly);
            case BROKER -> alterBroker(resource);
            default -> new Refusal(Errors.INVALID_REQUEST, "Unknown resource type " + resource.resourceType());
        };
    }

    private Refusal alterTopic(AlterConfigsResource resource, boolean validateOnly) {
        String name = resource.resourceName();
        if (name == null || name.isEmpty()) {
            return new Refusal(Errors.INVALID_REQUEST, "Default topic resources are not allowed.");
        }
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return new Refusal(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        Optional<TopicInfo> topic = topics.topic(name);
        if (topic.isEmpty()) {
            return new Refusal(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        Map<String, String> overrides = new TreeMap<>(topic.get().configs());
        for (AlterableConfig change : resource.configs()) {
            switch (change.configOperation()) {
                case SET -> overrides.put(change.name(), change.value());
                case DELETE -> overrides.remove(change.name());
                default -> {
                    Optional<TopicConfigDef> def = TopicConfigs.find(change.name());
                    if (def.isEmpty() || def.get().type() != ConfigType.LIST) {
                        return new Refusal(Errors.INVALID_CONFIG, "Can't " + operationName(change.configOperation())
                                + " to key " + change.name() + " because its type is not LIST.");
                    }
                    String current = overrides.containsKey(change.name())
                            ? overrides.get(change.name()) : def.get().defaultValue();
                    overrides.put(change.name(), applyListChange(current, change));
                }
            }
        }
        Result result = topics.alterConfigs(name, overrides, validateOnly);
        return result.isOk() ? null : new Refusal(result.error(), result.message());
    }

    /** Kafka's APPEND (add the values not yet present) and SUBTRACT (remove the values) on a comma list. */
    private static String applyListChange(String current, AlterableConfig change) {
        List<String> values = new ArrayList<>();
        if (current != null && !current.isBlank()) {
            for (String value : current.split(",")) {
                values.add(value.trim());
            }
        }
        for (String value : change.value().split(",")) {
            String trimmed = value.trim();
            if (change.configOperation() == APPEND) {
                if (!values.contains(trimmed)) {
                    values.add(trimmed);
                }
            } else {
                values.remove(trimmed);
            }
        }
        return String.join(",", values);
    }

    private Refusal alterBroker(AlterConfigsResource resource) {
        String name = resource.resourceName();
        if (name != null && !name.isEmpty()) {
            int id;
            try {
                id = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return new Refusal(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + name);
            }
            if (id != config.nodeId()) {
                return new Refusal(Errors.INVALID_REQUEST,
                        "Unexpected broker id, expected " + config.nodeId() + ", but received " + name);
            }
        }
        List<String> changed = new ArrayList<>();
        for (AlterableConfig change : resource.configs()) {
            if (change.configOperation() != DELETE) {
                changed.add(change.name());
            }
        }
        if (!changed.isEmpty()) {
            return new Refusal(Errors.INVALID_REQUEST, "Cannot update these configs dynamically: " + changed);
        }
        return null;
    }

    private static String operationName(byte operation) {
        return operation == APPEND ? "APPEND" : "SUBTRACT";
    }
}
