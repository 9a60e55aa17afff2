package dev.ferry.client;

import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import java.util.Arrays;

/**
 * The version of each API a client and one broker both speak: for every API the broker lists in ApiVersions, the
 * highest version within both its range and the client's (the client's highest stable version, down to the lowest
 * version the codecs read). Immutable and thread-safe.
 */
public final class NegotiatedVersions {

    private static final short NONE = -1;

    private final short[] versions;
    private final short[] brokerMin;
    private final short[] brokerMax;

    private NegotiatedVersions(short[] versions, short[] brokerMin, short[] brokerMax) {
        this.versions = versions;
        this.brokerMin = brokerMin;
        this.brokerMax = brokerMax;
    }

    /** The versions negotiated from a broker's ApiVersions answer. */
    public static NegotiatedVersions from(ApiVersionsResponseData response) {
        int size = maxApiKey() + 1;
        short[] versions = new short[size];
        short[] brokerMin = new short[size];
        short[] brokerMax = new short[size];
        Arrays.fill(versions, NONE);
        Arrays.fill(brokerMin, NONE);
        Arrays.fill(brokerMax, NONE);
        for (ApiVersion api : response.apiKeys()) {
            // the generated accessor has a trailing underscore: apiKey() is the message's own API key
            short key = api.apiKey_();
            ApiMessageType type = ApiMessageType.fromApiKey(key);
            if (type == null) {
                continue;
            }
            brokerMin[key] = api.minVersion();
            brokerMax[key] = api.maxVersion();
            short highest = (short) Math.min(type.highestStableVersion(), api.maxVersion());
            short lowest = (short) Math.max(type.lowestSupportedVersion(), api.minVersion());
            if (highest >= lowest) {
                versions[key] = highest;
            }
        }
        return new NegotiatedVersions(versions, brokerMin, brokerMax);
    }

    private static int maxApiKey() {
        int max = 0;
        for (ApiMessageType type : ApiMessageType.values()) {
            max = Math.max(max, type.apiKey());
        }
        return max;
    }

    /** Whether the broker and the client share a version of {@code api}. */
    public boolean supports(ApiMessageType api) {
        return versions[api.apiKey()] != NONE;
    }

    /**
     * The version to send {@code api} at.
     *
     * @throws KafkaClientException when the broker does not speak any version of it the client knows
     */
    public short version(ApiMessageType api) {
        short version = versions[api.apiKey()];
        if (version == NONE) {
            throw new KafkaClientException(unsupported(api));
        }
        return version;
    }

    private String unsupported(ApiMessageType api) {
        short min = brokerMin[api.apiKey()];
        if (min == NONE) {
            return "the broker does not support " + api.apiName() + " requests";
        }
        return "the broker supports " + api.apiName() + " versions " + min + "-" + brokerMax[api.apiKey()]
                + " only, and this client versions " + api.lowestSupportedVersion() + "-"
                + api.highestStableVersion();
    }
}
