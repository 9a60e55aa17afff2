package dev.ferry.client;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import dev.ferry.protocol.message.MetadataRequestData;
import dev.ferry.protocol.message.MetadataResponseData;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseBroker;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponsePartition;
import dev.ferry.protocol.message.MetadataResponseData.MetadataResponseTopic;
import dev.ferry.protocol.message.RequestHeaderData;
import dev.ferry.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A scripted broker on a loopback port for client tests: it reads Kafka request frames with Ferry's codecs and
 * answers each with whatever the test's {@link Handler} returns, so a test can make a broker answer with errors,
 * odd versions or SASL challenges that a real broker would need elaborate setup for.
 *
 * <p>Every connection gets its own handler from the supplier and its own thread. Thread-safe.
 */
final class FakeBroker implements AutoCloseable {

    /** The node id the fake broker gives itself in Metadata answers. */
    static final int NODE_ID = 7;

    /** Answers one connection's requests. */
    @FunctionalInterface
    interface Handler {
        /**
         * @return the answer, or null to send none (as for a Produce with acks=0)
         */
        Reply handle(RequestHeaderData header, ApiMessage request) throws Exception;
    }

    /**
     * A response body and the version to write it at.
     *
     * @param body    the response
     * @param version the version, or -1 for the request's
     */
    record Reply(ApiMessage body, short version) {
        static Reply of(ApiMessage body) {
            return new Reply(body, (short) -1);
        }
    }

    private final ServerSocket server;
    private final Supplier<Handler> handlers;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<RequestHeaderData> received = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private FakeBroker(ServerSocket server, Supplier<Handler> handlers) {
        this.server = server;
        this.handlers = handlers;
        this.acceptor = new Thread(this::accept, "fake-broker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A fake broker on a free loopback port. */
    static FakeBroker start(Supplier<Handler> handlers) {
        try {
            return new FakeBroker(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handlers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake broker on a listening socket the test made, e.g. a TLS one. */
    static FakeBroker start(ServerSocket server, Supplier<Handler> handlers) {
        return new FakeBroker(server, handlers);
    }

    int port() {
        return server.getLocalPort();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", port());
    }

    /** The headers of every request received so far, in arrival order. */
    List<RequestHeaderData> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The API keys of every request received so far, in arrival order. */
    List<ApiMessageType> receivedApis() {
        return received().stream().map(h -> ApiMessageType.fromApiKey(h.requestApiKey())).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread connection = new Thread(() -> serve(socket, handlers.get()), "fake-broker-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, Handler handler) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuf buffer = Unpooled.wrappedBuffer(frame);
                ApiMessageType api = ApiMessageType.fromApiKey(buffer.getShort(0));
                short version = buffer.getShort(2);
                RequestHeaderData header = new RequestHeaderData();
                header.read(buffer, api.requestHeaderVersion(version));
                received.add(header);
                ApiMessage request = api.newRequest();
                request.read(buffer, version);
                Reply reply = handler.handle(header, request);
                if (reply != null) {
                    out.write(frame(api, reply.version() < 0 ? version : reply.version(), header.correlationId(),
                            reply.body()));
                    out.flush();
                }
            }
        } catch (EOFException | SocketException | SSLException e) {
            // the client closed the connection or failed the TLS handshake, or the test closed the broker
        } catch (Exception | AssertionError e) {
            // reported by close(), where the test thread sees it
            failure.compareAndSet(null, e);
        }
    }

    private static byte[] frame(ApiMessageType api, short version, int correlationId, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = api.responseHeaderVersion(version);
        int size = header.size(headerVersion) + body.size(version);
        byte[] frame = new byte[Integer.BYTES + size];
        ByteBuf out = Unpooled.wrappedBuffer(frame).writerIndex(0);
        out.writeInt(size);
        header.write(out, headerVersion);
        body.write(out, version);
        return frame;
    }

    /** An ApiVersions answer listing every API at the full range of Ferry's codecs. */
    static ApiVersionsResponseData allApiVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setErrorCode(Errors.NONE.code());
        for (ApiMessageType api : ApiMessageType.values()) {
            if (api.highestSupportedVersion() >= api.lowestSupportedVersion()) {
                response.apiKeys().add(new ApiVersion().setApiKey(api.apiKey())
                        .setMinVersion(api.lowestSupportedVersion()).setMaxVersion(api.highestSupportedVersion()));
            }
        }
        return response;
    }

    /**
     * A Metadata answer naming this broker as the only node and leader of every partition of {@code topics} (name to
     * partition count); topics asked for that are not there get UNKNOWN_TOPIC_OR_PARTITION.
     */
    MetadataResponseData metadata(MetadataRequestData request, Map<String, Integer> topics) {
        MetadataResponseData response = new MetadataResponseData().setClusterId("fake").setControllerId(NODE_ID);
        response.brokers().add(new MetadataResponseBroker().setNodeId(NODE_ID).setHost("127.0.0.1").setPort(port()));
        List<String> names = request.topics() == null ? new ArrayList<>(topics.keySet())
                : request.topics().stream().map(MetadataRequestData.MetadataRequestTopic::name).toList();
        for (String name : names) {
            Integer partitions = topics.get(name);
            MetadataResponseTopic topic = new MetadataResponseTopic().setName(name).setTopicId(topicId(name));
            if (partitions == null) {
                topic.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            } else {
                for (int p = 0; p < partitions; p++) {
                    topic.partitions().add(new MetadataResponsePartition().setPartitionIndex(p).setLeaderId(NODE_ID)
                            .setLeaderEpoch(0).setReplicaNodes(List.of(NODE_ID)).setIsrNodes(List.of(NODE_ID)));
                }
            }
            response.topics().add(topic);
        }
        return response;
    }

    /** The id the fake broker gives a topic: derived from its name, so tests can compute it too. */
    static UUID topicId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stops listening and closes every connection.
     *
     * @throws AssertionError when a handler failed
     */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("The fake broker's handler failed", failure.get());
        }
    }
}
