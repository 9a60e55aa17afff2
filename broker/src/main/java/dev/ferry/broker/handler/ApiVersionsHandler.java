package dev.ferry.broker.handler;

import dev.ferry.broker.handler.ApiDispatcher.Registration;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * ApiVersions: lists exactly the APIs the broker serves, each with the version range it is registered at.
 *
 * <p>Two details follow Kafka. Produce is advertised from version 0 although only 3+ is decoded: librdkafka
 * refuses brokers whose Produce range does not start at 0 (KAFKA-18659), and Kafka advertises 0 for that reason
 * ({@code ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION}). No features are advertised or finalized: the clients
 * need none for what Ferry serves.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {

    /** The Produce version Kafka advertises as its minimum, below the minimum it decodes. */
    public static final short PRODUCE_ADVERTISED_MIN_VERSION = 0;

    /** Kafka's rule for client_software_name and client_software_version (KIP-511). */
    private static final Pattern SOFTWARE_NAME_OR_VERSION =
            Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");
    private static final short FIRST_VERSION_WITH_CLIENT_SOFTWARE = 3;

    private final ApiDispatcher dispatcher;

    public ApiVersionsHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<ApiVersionsResponseData> handle(RequestContext context, ApiVersionsRequestData request) {
        if (context.apiVersion() >= FIRST_VERSION_WITH_CLIENT_SOFTWARE && !hasValidClientSoftware(request)) {
            return CompletableFuture.completedFuture(
                    new ApiVersionsResponseData().setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        List<ApiVersion> apis = new ArrayList<>();
        for (Registration registration : dispatcher.registrations()) {
            short min = registration.api() == ApiMessageType.PRODUCE
                    ? PRODUCE_ADVERTISED_MIN_VERSION : registration.minVersion();
            apis.add(new ApiVersion().setApiKey(registration.api().apiKey()).setMinVersion(min)
                    .setMaxVersion(registration.maxVersion()));
        }
        return CompletableFuture.completedFuture(
                new ApiVersionsResponseData().setErrorCode(Errors.NONE.code()).setApiKeys(apis));
    }

    /**
     * The answer to an ApiVersions request at a version the broker does not know, sent at version 0: as in Kafka
     * (KIP-511), UNSUPPORTED_VERSION with the ApiVersions range alone, so that the client retries at the highest
     * version both sides know.
     */
    public static ApiVersionsResponseData unsupportedVersionResponse(Registration apiVersions) {
        List<ApiVersion> apis = new ArrayList<>(1);
        apis.add(new ApiVersion().setApiKey(apiVersions.api().apiKey()).setMinVersion(apiVersions.minVersion())
                .setMaxVersion(apiVersions.maxVersion()));
        return new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(apis);
    }

    private static boolean hasValidClientSoftware(ApiVersionsRequestData request) {
        return isValidSoftwareText(request.clientSoftwareName())
                && isValidSoftwareText(request.clientSoftwareVersion());
    }

    private static boolean isValidSoftwareText(String text) {
        return text != null && SOFTWARE_NAME_OR_VERSION.matcher(text).matches();
    }
}
