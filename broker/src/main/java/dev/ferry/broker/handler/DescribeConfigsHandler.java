package dev.ferry.broker.handler;

import dev.ferry.broker.tenant.Permission;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.broker.topic.TopicNames;
import dev.ferry.config.ConfigEntry;
import dev.ferry.config.ConfigSource;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.TopicConfigDef;
import dev.ferry.config.TopicConfigs;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.DescribeConfigsRequestData;
import dev.ferry.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import dev.ferry.protocol.message.DescribeConfigsResponseData;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import dev.ferry.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs for TOPIC resources (every topic config with its effective value and source) and for the BROKER
 * resource named by this node's id (every broker setting, all read-only: Ferry has no dynamic broker configuration).
 *
 * <p>Sources and synonyms follow Kafka's {@code ConfigHelper}: a topic override is DYNAMIC_TOPIC_CONFIG, a broker
 * setting given in the file, environment or command line STATIC_BROKER_CONFIG, a built-in value DEFAULT_CONFIG;
 * with {@code include_synonyms} each entry lists those layers, strongest first. Other resource types are answered
 * with INVALID_REQUEST.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {

    private static final short FIRST_VERSION_WITH_DOCUMENTATION = 3;

    private final TopicManager topics;
    private final FerryConfig config;
    private final Map<String, String> builtInDefaults;

    public DescribeConfigsHandler(TopicManager topics, FerryConfig config) {
        this.topics = topics;
        this.config = config;
        this.builtInDefaults = FerryConfig.defaults().effectiveValues();
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(RequestContext context,
                                                                 DescribeConfigsRequestData request) {
        boolean documentation = context.apiVersion() >= FIRST_VERSION_WITH_DOCUMENTATION
                && request.includeDocumentation();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : request.resources()) {
            Errors refused = authorize(context, resource.resourceType(), resource.resourceName(),
                    Permission.DESCRIBE);
            DescribeConfigsResult result = refused == Errors.NONE
                    ? describe(resource, request.includeSynonyms(), documentation) : failed(refused, refused.message());
            response.results().add(result.setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeConfigsResult describe(DescribeConfigsResource resource, boolean synonyms, boolean documentation) {
        ConfigResourceType type = ConfigResourceType.forId(resource.resourceType());
        String name = resource.resourceName();
        switch (type) {
            case TOPIC -> {
                String invalid = TopicNames.invalidReason(name);
                if (invalid != null) {
                    return failed(Errors.INVALID_TOPIC_EXCEPTION, invalid);
                }
                Optional<TopicInfo> topic = topics.topic(name);
                if (topic.isEmpty()) {
                    return failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                }
                List<DescribeConfigsResourceResult> entries = new ArrayList<>();
                for (ConfigEntry entry : TopicConfigs.describe(config, topic.get().configs())) {
                    if (wanted(resource, entry.name())) {
                        entries.add(topicEntry(entry, synonyms, documentation));
                    }
                }
                return succeeded(entries);
            }
            case BROKER -> {
                if (name == null || name.isEmpty()) {
                    // the cluster-wide dynamic defaults, of which Ferry has none
                    return succeeded(new ArrayList<>());
                }
                int brokerId;
                try {
                    brokerId = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    return failed(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: " + name);
                }
                if (brokerId != config.nodeId()) {
                    return failed(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + config.nodeId()
                            + " or empty string, but received " + name);
                }
                List<DescribeConfigsResourceResult> entries = new ArrayList<>();
                for (ConfigEntry entry : config.describe()) {
                    if (wanted(resource, entry.name())) {
                        entries.add(brokerEntry(entry, synonyms, documentation));
                    }
                }
                return succeeded(entries);
            }
            default -> {
                return failed(Errors.INVALID_REQUEST, "Unsupported resource type: " + type);
            }
        }
    }

    /**
     * What a tenant may do with a config resource: its application's topics and groups as its role permits, and
     * nothing of the broker's (CLUSTER_AUTHORIZATION_FAILED, Kafka's answer without an ACL on the cluster).
     */
    static Errors authorize(RequestContext context, byte resourceType, String resourceName, Permission permission) {
        if (!context.isTenant()) {
            return Errors.NONE;
        }
        return switch (ConfigResourceType.forId(resourceType)) {
            case TOPIC -> context.authorizeTopic(resourceName, permission);
            case GROUP -> context.authorizeGroup(resourceName, permission == Permission.DESCRIBE
                    ? Permission.DESCRIBE : Permission.MANAGE_GROUPS);
            case UNKNOWN -> Errors.NONE;
            default -> Errors.CLUSTER_AUTHORIZATION_FAILED;
        };
    }

    private DescribeConfigsResourceResult topicEntry(ConfigEntry entry, boolean withSynonyms, boolean documentation) {
        List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
        if (entry.source() == ConfigSource.TOPIC) {
            synonyms.add(synonym(entry.name(), entry, entry.value(), ConfigSources.DYNAMIC_TOPIC_CONFIG));
        }
        String brokerKey = TopicConfigs.find(entry.name()).map(TopicConfigDef::brokerDefaultKey).orElse(null);
        if (brokerKey != null && config.defines(brokerKey)) {
            addBrokerSynonyms(synonyms, brokerKey, entry);
        }
        return entry(entry, withSynonyms ? synonyms : new ArrayList<>(), documentation);
    }

    private DescribeConfigsResourceResult brokerEntry(ConfigEntry entry, boolean withSynonyms, boolean documentation) {
        List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
        if (withSynonyms) {
            addBrokerSynonyms(synonyms, entry.name(), entry);
        }
        return entry(entry, synonyms, documentation);
    }

    /** The broker layers of a setting: as configured at start if it was, then its built-in default if any. */
    private void addBrokerSynonyms(List<DescribeConfigsSynonym> synonyms, String key, ConfigEntry entry) {
        if (config.sourceOf(key) != ConfigSource.DEFAULT) {
            synonyms.add(synonym(key, entry, config.effectiveValues().get(key), ConfigSources.STATIC_BROKER_CONFIG));
        }
        String builtIn = builtInDefaults.get(key);
        if (builtIn != null) {
            synonyms.add(synonym(key, entry, builtIn, ConfigSources.DEFAULT_CONFIG));
        }
    }

    private static DescribeConfigsSynonym synonym(String name, ConfigEntry entry, String value, byte source) {
        return new DescribeConfigsSynonym().setName(name).setValue(entry.sensitive() ? null : value)
                .setSource(source);
    }

    private static DescribeConfigsResourceResult entry(ConfigEntry entry, List<DescribeConfigsSynonym> synonyms,
                                                       boolean documentation) {
        return new DescribeConfigsResourceResult()
                .setName(entry.name())
                .setValue(entry.sensitive() ? null : entry.value())
                .setReadOnly(entry.readOnly())
                .setConfigSource(ConfigSources.kafkaId(entry.source()))
                .setIsSensitive(entry.sensitive())
                .setSynonyms(synonyms)
                .setConfigType(entry.type().id())
                .setDocumentation(documentation ? entry.documentation() : null);
    }

    private static boolean wanted(DescribeConfigsResource resource, String name) {
        return resource.configurationKeys() == null || resource.configurationKeys().isEmpty()
                || resource.configurationKeys().contains(name);
    }

    private static DescribeConfigsResult succeeded(List<DescribeConfigsResourceResult> entries) {
        return new DescribeConfigsResult().setErrorCode(Errors.NONE.code()).setErrorMessage(null).setConfigs(entries);
    }

    private static DescribeConfigsResult failed(Errors error, String message) {
        return new DescribeConfigsResult().setErrorCode(error.code()).setErrorMessage(message)
                .setConfigs(new ArrayList<>());
    }
}
