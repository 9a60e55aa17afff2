package dev.ferry.broker.handler;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;

/** Where handlers are registered; what is registered is exactly what ApiVersions advertises. */
public interface ApiRegistry {

    /** Serves {@code api} at every version the generated codecs support. */
    default <Q extends ApiMessage> void register(ApiMessageType api, ApiHandler<Q> handler) {
        register(api, api.lowestSupportedVersion(), api.highestSupportedVersion(), handler);
    }

    /** Serves {@code api} at versions {@code minVersion..maxVersion}, a sub-range of what the codecs support. */
    <Q extends ApiMessage> void register(ApiMessageType api, short minVersion, short maxVersion, ApiHandler<Q> handler);
}
