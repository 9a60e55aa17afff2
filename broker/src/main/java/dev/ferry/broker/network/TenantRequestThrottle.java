package dev.ferry.broker.network;

import dev.ferry.broker.handler.RequestContext;
import dev.ferry.broker.quota.TenantQuotas;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;

/**
 * The quotas of tenants' requests: each application's request rate, produce byte rate (request sizes) and fetch byte
 * rate (fetched record bytes), as {@link TenantQuotas} measures them. Requests of no tenant are never throttled.
 *
 * <p>A fetch while its application is over its fetch byte rate is answered at once with an empty response carrying
 * the throttle time, as Kafka answers it, rather than reading more records for it.
 */
public final class TenantRequestThrottle implements RequestThrottle {

    private static final int NO_SESSION = 0;

    private final TenantQuotas quotas;

    public TenantRequestThrottle(TenantQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public ApiMessage answerWithoutHandling(RequestContext context, ApiMessage request) {
        if (context.principal() == null || context.apiKey() != ApiMessageType.FETCH.apiKey()) {
            return null;
        }
        int throttleMs = quotas.fetchThrottleMs(context.principal().applicationId());
        return throttleMs <= 0 ? null : new FetchResponseData().setThrottleTimeMs(throttleMs).setSessionId(NO_SESSION);
    }

    @Override
    public int throttleMs(RequestContext context, ApiMessage request, int requestBytes, ApiMessage response) {
        if (context.principal() == null) {
            return 0;
        }
        String application = context.principal().applicationId();
        int throttleMs = quotas.recordRequest(application);
        if (context.apiKey() == ApiMessageType.PRODUCE.apiKey()) {
            throttleMs = Math.max(throttleMs, quotas.recordProduce(application, requestBytes));
        } else if (response instanceof FetchResponseData fetch) {
            throttleMs = Math.max(throttleMs, quotas.recordFetch(application, recordBytes(fetch)));
        }
        return throttleMs;
    }

    private static long recordBytes(FetchResponseData fetch) {
        long bytes = 0;
        for (FetchableTopicResponse topic : fetch.responses()) {
            for (PartitionData partition : topic.partitions()) {
                if (partition.records() != null) {
                    bytes += partition.records().sizeInBytes();
                }
            }
        }
        return bytes;
    }
}
