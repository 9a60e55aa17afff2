package dev.ferry.protocol;

/**
 * A response with a top-level {@code throttle_time_ms}: how long the client should wait before its next request
 * because it exceeded a quota (KIP-219). The generated response classes that have the field implement this.
 */
public interface ThrottledResponse extends ApiMessage {

    /** The throttle in milliseconds; 0 when the request violated no quota. */
    int throttleTimeMs();

    ThrottledResponse setThrottleTimeMs(int value);
}
