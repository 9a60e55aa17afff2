package dev.ferry.broker.handler;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The broker's table of served APIs: maps an API key to its handler and the version range it is served at.
 *
 * <p><b>Thread-safety:</b> registration happens while the broker starts, before any connection is accepted; look-ups
 * and dispatch are safe from any thread.
 */
public final class ApiDispatcher implements ApiRegistry {

    /** One served API: its handler and the versions it is decoded and answered at. */
    public record Registration(ApiMessageType api, short minVersion, short maxVersion,
                               ApiHandler<ApiMessage> handler) {

        public boolean supports(short version) {
            return version >= minVersion && version <= maxVersion;
        }
    }

    private final Map<Short, Registration> byKey = new ConcurrentSkipListMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <Q extends ApiMessage> void register(ApiMessageType api, short minVersion, short maxVersion,
                                                ApiHandler<Q> handler) {
        if (minVersion < api.lowestSupportedVersion() || maxVersion > api.highestSupportedVersion()
                || minVersion > maxVersion) {
            throw new IllegalArgumentException(api.apiName() + " versions " + minVersion + ".." + maxVersion
                    + " are not within what the codecs support, " + api.lowestSupportedVersion() + ".."
                    + api.highestSupportedVersion());
        }
        Registration registration = new Registration(api, minVersion, maxVersion, (ApiHandler<ApiMessage>) handler);
        if (byKey.putIfAbsent(api.apiKey(), registration) != null) {
            throw new IllegalStateException(api.apiName() + " is already registered");
        }
    }

    /** The registration of {@code apiKey}, or null when the broker does not serve that API. */
    public Registration registration(short apiKey) {
        return byKey.get(apiKey);
    }

    /** Every served API, in ascending API key order. */
    public List<Registration> registrations() {
        return new ArrayList<>(byKey.values());
    }

    /** Whether the handler of the request's API takes it on the network thread (see ApiHandler). */
    public boolean handlesOnNetworkThread(RequestContext context, ApiMessage request) {
        Registration registration = byKey.get(context.apiKey());
        try {
            return registration != null && registration.handler().handlesOnNetworkThread(request);
        } catch (RuntimeException e) {
            // a bug in the check: the pool runs the handler, which answers or fails the request as usual
            return false;
        }
    }

    /**
     * Runs the handler of the request's API. A handler that throws yields a failed future rather than an exception.
     *
     * @throws IllegalArgumentException when the API is not registered (the network layer checks before calling)
     */
    public CompletableFuture<? extends ApiMessage> dispatch(RequestContext context, ApiMessage request) {
        Registration registration = byKey.get(context.apiKey());
        if (registration == null) {
            throw new IllegalArgumentException("No handler for API key " + context.apiKey());
        }
        try {
            CompletableFuture<? extends ApiMessage> future = registration.handler().handle(context, request);
            if (future == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        registration.api().apiName() + " handler returned no future"));
            }
            return future;
        } catch (Throwable e) {
            // an Error too: the connection must get its answer (a close), not wait for the client's timeout
            return CompletableFuture.failedFuture(e);
        }
    }
}
