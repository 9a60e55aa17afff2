package dev.ferry.broker.network;

import dev.ferry.broker.auth.SaslSession;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.TenantRegistry;
import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.SaslAuthenticateRequestData;
import dev.ferry.protocol.message.SaslAuthenticateResponseData;
import dev.ferry.protocol.message.SaslHandshakeRequestData;
import dev.ferry.protocol.message.SaslHandshakeResponseData;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates one connection of a broker in {@code auth.mode=tenant}, and marks each of its requests with the
 * tenant it acts for. It sits between {@link RequestDecoder} and {@link RequestProcessor}.
 *
 * <p>A connection authenticates in one of two ways:
 * <ul>
 *   <li><b>Key as client id</b> (not on SASL listeners): the first request other than ApiVersions is checked with its
 *       client id as the key; every later request must carry the same client id.</li>
 *   <li><b>SASL</b>: SaslHandshake (v1; v0 is advertised but refused) then SaslAuthenticate with PLAIN or SCRAM,
 *       answered here through a {@link SaslSession}; later requests carry any client id.</li>
 * </ul>
 * ApiVersions is answered before authentication, as clients send it first. A request that fails authentication (an
 * unknown key, a changed client id, a failed SASL exchange, a request other than SASL before it on a SASL listener)
 * closes the connection, after the SaslAuthenticate error response where there is one; repeated failures from one
 * address are answered later and later (see {@link dev.ferry.broker.auth.AuthenticationFailures}). The log names the
 * remote address and at most a key's public id, never a key.
 *
 * <p>Authenticated connections are admitted through {@link TenantConnections}, which closes them when their key is
 * revoked and refuses those past the application's {@code max.connections}.
 *
 * <p><b>Threading:</b> all state is touched on the channel's event loop. <b>Ownership:</b> passes each request on or
 * releases it.
 */
final class TenantAuthenticator extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TenantAuthenticator.class);
    /** From this version on, SaslAuthenticate requests carry the SASL tokens. */
    private static final short FIRST_FRAMED_HANDSHAKE_VERSION = 1;

    private final TenantAuthentication shared;
    private final String listenerName;
    private final boolean saslOnly;
    private SaslSession sasl;
    private Principal principal;
    /** The client id the connection authenticated with; null when it authenticated with SASL. */
    private String keyClientId;
    private boolean closing;
    /** The answer to a failed authentication while it waits out the failure delay; released if the channel goes. */
    private KafkaRequest heldBack;

    TenantAuthenticator(TenantAuthentication shared, String listenerName, boolean saslOnly) {
        this.shared = shared;
        this.listenerName = listenerName;
        this.saslOnly = saslOnly;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof KafkaRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            request.release();
            return;
        }
        switch (request.api()) {
            case API_VERSIONS -> ctx.fireChannelRead(principal == null ? request : request.withPrincipal(principal));
            case SASL_HANDSHAKE -> handshake(ctx, request);
            case SASL_AUTHENTICATE -> authenticate(ctx, request);
            default -> {
                if (principal == null) {
                    authenticateWithClientId(ctx, request);
                } else if (keyClientId != null && !keyClientId.equals(request.context().clientId())) {
                    fail(ctx, request, null, "a request with another client id than the key it authenticated with");
                } else {
                    ctx.fireChannelRead(request.withPrincipal(principal));
                }
            }
        }
    }

    private void handshake(ChannelHandlerContext ctx, KafkaRequest request) {
        if (principal != null) {
            // as Kafka answers once authenticated; re-authentication (KIP-368) is never due, sessions have no lifetime
            answer(ctx, request, new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()),
                    false);
            return;
        }
        if (request.context().apiVersion() < FIRST_FRAMED_HANDSHAKE_VERSION) {
            // after version 0 the client would send bare SASL tokens, not Kafka requests; clients use version 1
            LOG.info("Closing connection from {} on listener {}: SaslHandshake v0 is not served, only v1",
                    request.context().remoteAddress(), listenerName);
            answer(ctx, request, new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()),
                    true);
            return;
        }
        if (sasl == null) {
            sasl = new SaslSession(shared.registry(), shared.saslMechanisms());
        }
        SaslHandshakeResponseData response = sasl.handshake((SaslHandshakeRequestData) request.body());
        boolean refused = response.errorCode() != Errors.NONE.code();
        if (refused) {
            LOG.info("Closing connection from {} on listener {}: SASL handshake refused ({})",
                    request.context().remoteAddress(), listenerName, Errors.forCode(response.errorCode()));
        }
        answer(ctx, request, response, refused);
    }

    private void authenticate(ChannelHandlerContext ctx, KafkaRequest request) {
        if (principal != null || sasl == null) {
            // after authentication Kafka answers and goes on; before a handshake it closes the connection
            answer(ctx, request, new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate is only accepted after a SaslHandshake, once"),
                    principal == null);
            return;
        }
        SaslAuthenticateResponseData response = sasl.authenticate((SaslAuthenticateRequestData) request.body());
        if (sasl.failed()) {
            fail(ctx, request, response, "SASL " + sasl.mechanism() + " authentication failed");
            return;
        }
        Optional<Principal> authenticated = sasl.principal();
        if (sasl.complete() && authenticated.isPresent() && !admit(ctx, request, authenticated.get())) {
            return;
        }
        answer(ctx, request, response, false);
    }

    private void authenticateWithClientId(ChannelHandlerContext ctx, KafkaRequest request) {
        if (saslOnly) {
            fail(ctx, request, null, "a " + request.api().apiName() + " request before SASL authentication");
            return;
        }
        String clientId = request.context().clientId();
        Optional<Principal> authenticated = shared.registry().authenticate(clientId);
        if (authenticated.isEmpty()) {
            fail(ctx, request, null, TenantRegistry.publicKeyId(clientId)
                    .map(keyId -> "unknown key " + keyId).orElse("a client id that is not a key"));
            return;
        }
        if (admit(ctx, request, authenticated.get())) {
            keyClientId = clientId;
            ctx.fireChannelRead(request.withPrincipal(principal));
        }
    }

    /** Admits the authenticated connection, or closes it when its application has no connection left. */
    private boolean admit(ChannelHandlerContext ctx, KafkaRequest request, Principal authenticated) {
        String refusal = shared.connections().admit(ctx.channel(), authenticated);
        if (refusal != null) {
            closing = true;
            request.release();
            LOG.info("Closing connection from {} on listener {}: {}", request.context().remoteAddress(),
                    listenerName, refusal);
            ctx.close();
            return false;
        }
        principal = authenticated;
        LOG.debug("Connection from {} on listener {} authenticated as key {} of application {}",
                request.context().remoteAddress(), listenerName, principal.keyId(), principal.applicationId());
        return true;
    }

    /**
     * Ends a connection that failed authentication: after {@code response} (or none) is written, it closes; an
     * address that keeps failing waits longer for it. A request held back meanwhile is released if the connection
     * goes first.
     */
    private void fail(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response, String reason) {
        closing = true;
        ctx.channel().config().setAutoRead(false);
        InetAddress address = request.context().remoteAddress() == null ? null
                : request.context().remoteAddress().getAddress();
        long delayMs = shared.failures().recordFailure(address);
        LOG.info("Authentication failed for connection from {} on listener {}: {}; closing it{}",
                request.context().remoteAddress(), listenerName, reason,
                delayMs > 0 ? " in " + delayMs + " ms" : "");
        if (response == null) {
            request.release();
        } else {
            heldBack = request.answeredWith(response, true);
        }
        Runnable end = () -> {
            KafkaRequest answer = heldBack;
            heldBack = null;
            if (answer != null && ctx.channel().isActive() && !ctx.isRemoved()) {
                ctx.fireChannelRead(answer);
            } else {
                if (answer != null) {
                    answer.release();
                }
                ctx.close();
            }
        };
        if (delayMs <= 0) {
            end.run();
            return;
        }
        try {
            ctx.executor().schedule(end, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the network threads are stopping: no time to make anyone wait
            end.run();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeldBack();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeldBack();
    }

    private void releaseHeldBack() {
        KafkaRequest held = heldBack;
        heldBack = null;
        if (held != null) {
            held.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage response, boolean close) {
        closing |= close;
        ctx.fireChannelRead(request.answeredWith(Objects.requireNonNull(response), close));
    }
}
