package dev.ferry.broker.metrics;

import dev.ferry.broker.handler.RequestContext;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.ProduceRequestData;
import dev.ferry.protocol.message.ProduceResponseData;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts requests by API and version, times them by API, counts the error codes of their responses by API and error
 * (through the generated {@link ApiMessageType#forEachErrorCode} walk, so no API needs an extractor of its own),
 * hands Produce and Fetch exchanges to the traffic meters, and records the throttle times quotas impose.
 *
 * <p>Data points are resolved on first use and kept in arrays indexed by API key, version and error, so recording
 * allocates nothing.
 *
 * <p><b>Thread-safety:</b> safe from any thread.
 */
final class RequestRecorder implements RequestMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRecorder.class);
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final double MILLIS_PER_SECOND = TimeUnit.SECONDS.toMillis(1);

    private final ApiMeters[] byApiKey;
    private final TrafficMeters traffic;
    private final Histogram throttleTime;

    RequestRecorder(Counter requests, Histogram duration, Counter errors, Histogram throttleTime,
                    TrafficMeters traffic) {
        this.traffic = traffic;
        this.throttleTime = throttleTime;
        int highestKey = 0;
        for (ApiMessageType api : ApiMessageType.values()) {
            highestKey = Math.max(highestKey, api.apiKey());
        }
        byApiKey = new ApiMeters[highestKey + 1];
        for (ApiMessageType api : ApiMessageType.values()) {
            byApiKey[api.apiKey()] = new ApiMeters(api, requests, duration, errors);
        }
    }

    @Override
    public void handled(ApiMessageType api, RequestContext context, ApiMessage request, ApiMessage response) {
        try {
            short version = context.apiVersion();
            if (response != null) {
                api.forEachErrorCode(response, version, byApiKey[api.apiKey()]);
            }
            String application = context.principal() == null ? BrokerMetrics.NO_APPLICATION
                    : context.principal().applicationId();
            if (api == ApiMessageType.PRODUCE) {
                traffic.produced((ProduceRequestData) request, (ProduceResponseData) response, version, application);
            } else if (api == ApiMessageType.FETCH && response != null) {
                traffic.fetched((FetchResponseData) response, application);
            }
        } catch (RuntimeException e) {
            // a metrics fault must not cost the client its response
            LOG.warn("Could not record the metrics of a {} response", api.apiName(), e);
        }
    }

    @Override
    public void completed(ApiMessageType api, RequestContext context) {
        try {
            byApiKey[api.apiKey()].completed(context.apiVersion(), System.nanoTime() - context.receivedNanos());
        } catch (RuntimeException e) {
            LOG.warn("Could not record the metrics of a {} request", api.apiName(), e);
        }
    }

    @Override
    public void throttled(ApiMessageType api, RequestContext context, int throttleMs) {
        throttleTime.observe(throttleMs / MILLIS_PER_SECOND);
    }

    /** The meters of one API; as an {@link IntConsumer} it counts the error codes it is given. */
    private static final class ApiMeters implements IntConsumer {

        private static final Errors[] ERRORS = Errors.values();

        private final String apiName;
        private final Counter requests;
        private final Histogram duration;
        private final Counter errors;
        private final AtomicReferenceArray<CounterDataPoint> requestsByVersion;
        private final AtomicReferenceArray<CounterDataPoint> errorsByOrdinal;
        private volatile DistributionDataPoint durationPoint;

        ApiMeters(ApiMessageType api, Counter requests, Histogram duration, Counter errors) {
            this.apiName = api.apiName();
            this.requests = requests;
            this.duration = duration;
            this.errors = errors;
            this.requestsByVersion = new AtomicReferenceArray<>(Math.max(0, api.highestSupportedVersion() + 1));
            this.errorsByOrdinal = new AtomicReferenceArray<>(ERRORS.length);
        }

        void completed(short version, long nanos) {
            requestsAt(version).inc();
            DistributionDataPoint point = durationPoint;
            if (point == null) {
                point = duration.labelValues(apiName);
                durationPoint = point;
            }
            point.observe(Math.max(0, nanos) / NANOS_PER_SECOND);
        }

        @Override
        public void accept(int code) {
            if (code == Errors.NONE.code()) {
                return;
            }
            // a code this broker does not know counts as UNKNOWN_SERVER_ERROR, which keeps the label set bounded
            int ordinal = Errors.forCode((short) code).ordinal();
            CounterDataPoint point = errorsByOrdinal.get(ordinal);
            if (point == null) {
                // labelValues answers the same data point for the same labels, so a race here is harmless
                point = errors.labelValues(apiName, ERRORS[ordinal].name());
                errorsByOrdinal.set(ordinal, point);
            }
            point.inc();
        }

        private CounterDataPoint requestsAt(short version) {
            if (version < 0 || version >= requestsByVersion.length()) {
                // not a version the codecs read, so never reached; looked up rather than cached all the same
                return requests.labelValues(apiName, Short.toString(version));
            }
            CounterDataPoint point = requestsByVersion.get(version);
            if (point == null) {
                point = requests.labelValues(apiName, Short.toString(version));
                requestsByVersion.set(version, point);
            }
            return point;
        }
    }
}
