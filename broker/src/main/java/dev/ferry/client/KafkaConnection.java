package dev.ferry.client;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.ProtocolException;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.ApiVersionsRequestData;
import dev.ferry.protocol.message.ApiVersionsResponseData;
import dev.ferry.protocol.message.ApiVersionsResponseData.ApiVersion;
import dev.ferry.protocol.message.RequestHeaderData;
import dev.ferry.protocol.message.ResponseHeaderData;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking connection to one broker, over TCP or TLS, on which requests are sent one at a time and each response
 * is read before the next request goes out. Opening it negotiates the API versions (ApiVersions) and authenticates
 * (SaslHandshake and SaslAuthenticate) when SASL is configured.
 *
 * <p>Every request carries the settings' client id. A request is built for the version to send it at, since the
 * generated messages refuse fields a version lacks; see {@link RequestBuilder}.
 *
 * <p>Any I/O failure, timeout or malformed response closes the connection, because what arrives on it next could
 * belong to the failed request; callers open a new one. <b>Thread-safe:</b> requests from several threads are
 * serialized; {@link #close()} may be called from any thread and fails a request blocked on the connection, which
 * is how a blocked call is interrupted.
 */
public final class KafkaConnection implements AutoCloseable {

    /** Builds a request body for the version it will be sent at. */
    @FunctionalInterface
    public interface RequestBuilder {
        ApiMessage build(short version);
    }

    /**
     * The largest response accepted; anything larger is taken for bytes that are not a Kafka response (a TLS
     * listener answering a plain client starts with bytes that read as a size of about 350 MB).
     */
    static final int MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

    private static final int SIZE_PREFIX_BYTES = Integer.BYTES;
    private static final int SOCKET_BUFFER_BYTES = 64 * 1024;

    private final HostPort address;
    private final ClientSettings settings;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Object lock = new Object();
    private volatile boolean closed;
    private NegotiatedVersions versions;
    private int nextCorrelationId;

    private KafkaConnection(HostPort address, ClientSettings settings, Socket socket) throws IOException {
        this.address = address;
        this.settings = settings;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), SOCKET_BUFFER_BYTES));
        this.out = new BufferedOutputStream(socket.getOutputStream(), SOCKET_BUFFER_BYTES);
    }

    /**
     * Connects to {@code address}, negotiates API versions and authenticates.
     *
     * @throws ConnectionFailedException     when the broker cannot be reached or drops the connection
     * @throws AuthenticationFailedException when the TLS handshake or SASL authentication fails
     * @throws KafkaClientException          when the broker's answers are not those of a Kafka broker
     */
    public static KafkaConnection open(HostPort address, ClientSettings settings) {
        Socket socket = connect(address, settings);
        KafkaConnection connection;
        try {
            connection = new KafkaConnection(address, settings, socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        try {
            connection.negotiateVersions();
            if (settings.sasl() != null) {
                connection.authenticate(settings.sasl());
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static Socket connect(HostPort address, ClientSettings settings) {
        int connectTimeout = (int) settings.connectTimeout().toMillis();
        Socket socket = null;
        try {
            socket = settings.tls() == null ? new Socket() : settings.tls().socketFactory().createSocket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeout);
            if (socket instanceof SSLSocket tls) {
                SSLParameters parameters = tls.getSSLParameters();
                // check the certificate names the host, as Kafka's ssl.endpoint.identification.algorithm=https does
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(connectTimeout);
                tls.startHandshake();
            }
            return socket;
        } catch (UnknownHostException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": unknown host " + address.host(), e);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": no answer within "
                    + connectTimeout + " ms", e);
        } catch (SSLException e) {
            closeQuietly(socket);
            throw new AuthenticationFailedException("TLS handshake with " + address + " failed: "
                    + tlsFailure(e), e);
        } catch (ConnectException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    private static String tlsFailure(SSLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Unsupported or unrecognized SSL message")
                || message.contains("Remote host terminated the handshake")) {
            return message + " (the listener does not speak TLS)";
        }
        return message;
    }

    /** The address this connection was opened to. */
    public HostPort address() {
        return address;
    }

    /** The API versions negotiated with this broker. */
    public NegotiatedVersions versions() {
        return versions;
    }

    /** Whether the connection can still carry requests. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Sends a request at the negotiated version of {@code api} and waits, up to the request timeout, for its
     * response.
     *
     * @param <R> the response type of {@code api}
     * @throws ConnectionFailedException when the connection breaks
     * @throws ClientTimeoutException    when no response arrives in time
     * @throws KafkaClientException      when the broker does not support {@code api}, or answers nonsense
     */
    public <R extends ApiMessage> R send(ApiMessageType api, RequestBuilder request) {
        return send(api, versions.version(api), settings.requestTimeout(), request);
    }

    /**
     * Sends a request at {@code version} and waits up to {@code timeout} for its response. A request the broker
     * holds (a Fetch's max wait, a JoinGroup during a rebalance) needs that time on top of the request timeout.
     *
     * @param <R> the response type of {@code api}
     */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> R send(ApiMessageType api, short version, Duration timeout,
                                         RequestBuilder request) {
        synchronized (lock) {
            int correlationId = write(api, version, request.build(version));
            ByteBuf response = read(api, version, correlationId, timeout);
            return (R) parse(api, version, response);
        }
    }

    /** How long a request not held by the broker may take: the settings' request timeout. */
    public Duration requestTimeout() {
        return settings.requestTimeout();
    }

    /**
     * Sends a request the broker does not answer (a Produce with acks=0), returning once its bytes are written.
     */
    public void sendWithoutResponse(ApiMessageType api, short version, RequestBuilder request) {
        synchronized (lock) {
            write(api, version, request.build(version));
        }
    }

    private ApiMessage parse(ApiMessageType api, short version, ByteBuf response) {
        ApiMessage message = api.newResponse();
        try {
            message.read(response, version);
            return message;
        } catch (ProtocolException e) {
            close();
            throw new KafkaClientException("malformed " + api.apiName() + " response from " + address + ": "
                    + e.getMessage(), e);
        }
    }

    private int write(ApiMessageType api, short version, ApiMessage body) {
        ensureOpen();
        int correlationId = nextCorrelationId++;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.apiKey())
                .setRequestApiVersion(version).setCorrelationId(correlationId).setClientId(settings.clientId());
        short headerVersion = api.requestHeaderVersion(version);
        int size = header.size(headerVersion) + body.size(version);
        byte[] frame = new byte[SIZE_PREFIX_BYTES + size];
        // size() is exact, so the frame is written straight into its final array
        ByteBuf buffer = Unpooled.wrappedBuffer(frame).writerIndex(0);
        try {
            buffer.writeInt(size);
            header.write(buffer, headerVersion);
            body.write(buffer, version);
            if (buffer.writerIndex() != frame.length) {
                throw new IllegalStateException("Wrote " + buffer.writerIndex() + " bytes of a " + api.apiName()
                        + " request sized at " + frame.length);
            }
        } finally {
            buffer.release();
        }
        try {
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            throw broken("sending " + api.apiName(), e);
        }
        return correlationId;
    }

    /** Reads the response to {@code correlationId}; returns its body, after the response header. */
    private ByteBuf read(ApiMessageType api, short version, int correlationId, Duration timeout) {
        byte[] frame;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            int size = in.readInt();
            if (size < 0 || size > MAX_RESPONSE_BYTES) {
                close();
                throw new KafkaClientException("the answer from " + address + " is not a Kafka response"
                        + (settings.tls() == null ? " (is it a TLS listener?)" : ""));
            }
            frame = new byte[size];
            in.readFully(frame);
        } catch (SocketTimeoutException e) {
            close();
            throw new ClientTimeoutException("no response from " + address + " to " + api.apiName() + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (EOFException e) {
            throw broken("waiting for the " + api.apiName() + " response", e);
        } catch (IOException e) {
            throw broken("waiting for the " + api.apiName() + " response", e);
        }
        ByteBuf buffer = Unpooled.wrappedBuffer(frame);
        ResponseHeaderData header = new ResponseHeaderData();
        try {
            header.read(buffer, api.responseHeaderVersion(version));
        } catch (ProtocolException e) {
            close();
            throw new KafkaClientException("malformed response header from " + address + ": " + e.getMessage(), e);
        }
        if (header.correlationId() != correlationId) {
            close();
            throw new KafkaClientException("the broker at " + address + " answered request " + header.correlationId()
                    + " when " + correlationId + " was expected");
        }
        return buffer;
    }

    private void negotiateVersions() {
        short version = ApiMessageType.API_VERSIONS.highestStableVersion();
        ApiVersionsResponseData response = apiVersions(version);
        if (response.errorCode() == Errors.UNSUPPORTED_VERSION.code()) {
            // KIP-511: the broker lists the ApiVersions versions it knows; ask again at the highest shared one
            short brokerMax = -1;
            for (ApiVersion api : response.apiKeys()) {
                if (api.apiKey_() == ApiMessageType.API_VERSIONS.apiKey()) {
                    brokerMax = api.maxVersion();
                }
            }
            if (brokerMax < 0 || brokerMax >= version) {
                throw new KafkaClientException("the broker at " + address + " rejected every ApiVersions version");
            }
            response = apiVersions(brokerMax);
        }
        if (response.errorCode() != Errors.NONE.code()) {
            throw new KafkaClientException("the broker at " + address + " answered ApiVersions with "
                    + Errors.forCode(response.errorCode()));
        }
        versions = NegotiatedVersions.from(response);
    }

    private ApiVersionsResponseData apiVersions(short version) {
        synchronized (lock) {
            ApiVersionsRequestData request = new ApiVersionsRequestData();
            if (version >= 3) {
                request.setClientSoftwareName(settings.softwareName())
                        .setClientSoftwareVersion(settings.softwareVersion());
            }
            int correlationId = write(ApiMessageType.API_VERSIONS, version, request);
            ByteBuf body = read(ApiMessageType.API_VERSIONS, version, correlationId, settings.requestTimeout());
            int start = body.readerIndex();
            ApiVersionsResponseData response = new ApiVersionsResponseData();
            try {
                response.read(body, version);
            } catch (ProtocolException e) {
                // a broker that does not know our version answers at version 0
                body.readerIndex(start);
                response = new ApiVersionsResponseData();
                try {
                    response.read(body, (short) 0);
                } catch (ProtocolException again) {
                    close();
                    throw new KafkaClientException("the answer from " + address + " to ApiVersions is malformed",
                            again);
                }
            }
            return response;
        }
    }

    private void authenticate(SaslSettings sasl) {
        if (!versions.supports(ApiMessageType.SASL_HANDSHAKE) || !versions.supports(ApiMessageType.SASL_AUTHENTICATE)
                || versions.version(ApiMessageType.SASL_HANDSHAKE) < 1) {
            throw new AuthenticationFailedException("authentication failed: the broker at " + address
                    + " does not offer SASL authentication");
        }
        String mechanism = sasl.mechanism().kafkaName();
        SaslHandshakeResponseData handshake = send(ApiMessageType.SASL_HANDSHAKE,
                version -> new SaslHandshakeRequestData().setMechanism(mechanism));
        Errors handshakeError = Errors.forCode(handshake.errorCode());
        if (handshakeError == Errors.ILLEGAL_SASL_STATE) {
            // Kafka's answer on a listener that does not authenticate with SASL
            throw new AuthenticationFailedException("authentication failed: the broker at " + address
                    + " does not offer SASL authentication on this listener");
        }
        if (handshakeError == Errors.UNSUPPORTED_SASL_MECHANISM) {
            throw new AuthenticationFailedException("authentication failed: the broker at " + address
                    + " does not offer " + mechanism + " (it offers " + String.join(", ", handshake.mechanisms())
                    + ")");
        }
        if (handshakeError != Errors.NONE) {
            throw new AuthenticationFailedException("authentication failed: SaslHandshake answered "
                    + handshakeError);
        }
        SaslExchange exchange = sasl.mechanism().newExchange(sasl);
        byte[] token = exchange.initialResponse();
        while (token != null) {
            byte[] sending = token;
            SaslAuthenticateResponseData response = send(ApiMessageType.SASL_AUTHENTICATE,
                    version -> new SaslAuthenticateRequestData().setAuthBytes(sending));
            Errors error = Errors.forCode(response.errorCode());
            if (error != Errors.NONE) {
                String reason = response.errorMessage() == null || response.errorMessage().isEmpty()
                        ? error.message() : response.errorMessage();
                throw new AuthenticationFailedException("authentication failed for user '" + sasl.username()
                        + "': " + reason);
            }
            token = exchange.evaluate(response.authBytes());
        }
        if (!exchange.isComplete()) {
            throw new AuthenticationFailedException("authentication failed: the " + mechanism
                    + " exchange ended early");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ConnectionFailedException("the connection to " + address + " is closed");
        }
    }

    private ConnectionFailedException broken(String doing, IOException e) {
        boolean wasClosed = closed;
        close();
        if (wasClosed) {
            return new ConnectionFailedException("the connection to " + address + " was closed", e);
        }
        if (e instanceof EOFException) {
            return new ConnectionFailedException("the broker at " + address + " closed the connection while "
                    + doing, e);
        }
        return new ConnectionFailedException("the connection to " + address + " failed while " + doing + ": "
                + e.getMessage(), e);
    }

    /** Closes the socket, failing any request blocked on it; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a socket that cannot even close
        }
    }
}
