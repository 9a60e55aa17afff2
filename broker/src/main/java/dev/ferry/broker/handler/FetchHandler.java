package dev.ferry.broker.handler;

import dev.ferry.broker.fetch.DelayedFetch;
import dev.ferry.broker.fetch.FetchReader;
import dev.ferry.broker.fetch.FetchResult;
import dev.ferry.broker.fetch.FetchWaiters;
import dev.ferry.broker.tenant.Permission;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.FetchRequestData;
import dev.ferry.protocol.message.FetchResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Fetch: reads the requested partitions and answers at once when they hold min_bytes, when a partition is in error,
 * or when the client does not want to wait; otherwise parks the fetch until appends bring min_bytes or max_wait_ms
 * passes (see {@link DelayedFetch}). Per-partition semantics are {@link FetchReader}'s.
 *
 * <p>The response's max_bytes is capped by the broker's {@code fetch.max.bytes}, and min_bytes by that cap, as in
 * Kafka. Fetch sessions (KIP-227) are not kept: every full fetch (session epoch 0 or -1) is answered with session id
 * 0, which tells the client no session was created — a valid Kafka answer, after which clients keep sending full
 * fetches. An incremental fetch (any other epoch) names a session this broker cannot have, and gets
 * FETCH_SESSION_ID_NOT_FOUND like Kafka answers for an unknown session. Isolation levels read the same data, there
 * being no transactions; READ_COMMITTED gets an empty aborted-transactions list, READ_UNCOMMITTED a null one.
 *
 * <p>A tenant reads only its own topics, with a role allowing {@link Permission#READ}: any other topic's partitions
 * are TOPIC_AUTHORIZATION_FAILED, checked once per topic and again, the same way, when a parked fetch re-reads.
 *
 * <p><b>Ownership:</b> the response's records are {@code FetchSliceRecords} handed to the network layer with it.
 *
 * <p><b>Thread-safety:</b> stateless; serves concurrent requests, and never blocks a thread while a fetch waits.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    private static final short FIRST_VERSION_WITH_SESSIONS = 7;
    private static final int INITIAL_SESSION_EPOCH = 0;
    private static final int FINAL_SESSION_EPOCH = -1;

    private final FetchReader reader;
    private final FetchWaiters waiters;
    private final int brokerMaxBytes;

    /** @param brokerMaxBytes the broker's {@code fetch.max.bytes} */
    public FetchHandler(FetchReader reader, FetchWaiters waiters, int brokerMaxBytes) {
        this.reader = reader;
        this.waiters = waiters;
        this.brokerMaxBytes = brokerMaxBytes;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
        short version = context.apiVersion();
        if (version >= FIRST_VERSION_WITH_SESSIONS && request.sessionEpoch() != INITIAL_SESSION_EPOCH
                && request.sessionEpoch() != FINAL_SESSION_EPOCH) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())
                    .setSessionId(0));
        }
        int maxBytes = Math.max(0, Math.min(request.maxBytes(), brokerMaxBytes));
        int minBytes = Math.min(request.minBytes(), maxBytes);
        // in an open broker every topic is readable, and no filter is allocated per request
        Predicate<String> readable = context.isTenant()
                ? topic -> context.authorizeTopic(topic, Permission.READ) == Errors.NONE
                : FetchReader.EVERY_TOPIC;
        FetchResult first = reader.read(request, version, maxBytes, readable);
        if (request.maxWaitMs() <= 0 || first.readPartitions().isEmpty() || first.hasError()
                || first.bytes() >= minBytes) {
            return CompletableFuture.completedFuture(first.response());
        }
        DelayedFetch delayed = new DelayedFetch(first, minBytes,
                () -> reader.read(request, version, maxBytes, readable));
        waiters.await(delayed, request.maxWaitMs());
        return delayed.future();
    }
}
