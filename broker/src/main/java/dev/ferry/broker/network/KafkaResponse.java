package dev.ferry.broker.network;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.message.FetchResponseData;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;

/**
 * A response on its way from {@link RequestProcessor} to {@link ResponseEncoder}.
 *
 * <p><b>Ownership:</b> once written to the pipeline, the encoder owns any {@code FetchSliceRecords} in the body and
 * closes them after their bytes are sent or the write fails.
 *
 * @param correlationId the request's correlation id, echoed in the response header
 * @param headerVersion the response header version the request's API and version call for
 * @param apiVersion    the version the body is written at
 * @param body          the response body
 */
record KafkaResponse(int correlationId, short headerVersion, short apiVersion, ApiMessage body) {

    /** Closes the file slices of a response that will not be sent (or whose encoding failed part-way). */
    static void discard(ApiMessage body) {
        if (body instanceof FetchResponseData fetch) {
            for (FetchableTopicResponse topic : fetch.responses()) {
                for (PartitionData partition : topic.partitions()) {
                    if (partition.records() instanceof FetchSliceRecords records) {
                        records.close();
                    }
                }
            }
        }
    }
}
