package dev.ferry.broker;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.handler.ApiDispatcher;
import dev.ferry.broker.handler.ControlPlaneApis;
import dev.ferry.broker.handler.DataPlaneApis;
import dev.ferry.broker.handler.GroupApis;
import dev.ferry.broker.handler.LocalBroker;
import dev.ferry.broker.metrics.BrokerMetrics;
import dev.ferry.broker.metrics.MetricsServer;
import dev.ferry.broker.network.AdvertisedListeners;
import dev.ferry.broker.network.BrokerChannelInitializer;
import dev.ferry.broker.network.ConnectionLimits;
import dev.ferry.broker.network.ConnectionPolicy;
import dev.ferry.broker.network.RequestThrottle;
import dev.ferry.broker.network.ServerSslContexts;
import dev.ferry.broker.topic.PartitionLimits;
import dev.ferry.broker.topic.StorageQuota;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.broker.topic.TopicManager.TopicInfo;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.Listener;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.offsets.OffsetStore;
import dev.ferry.storage.offsets.OffsetStoreConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ferry broker: storage, topics, the served APIs and one server socket per listener.
 *
 * <pre>{@code
 * try (FerryBroker broker = FerryBroker.start(FerryConfig.of(Map.of("listeners", "PLAINTEXT://127.0.0.1:0")))) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> {@link #start} and {@link #close} may be called from any thread; {@code close} is
 * idempotent.
 */
public final class FerryBroker implements AutoCloseable {

    /** The broker's own state files live here, inside the first log directory. */
    public static final String METADATA_DIR_NAME = ".ferry";
    /** The committed offsets of consumer groups live here, inside the metadata directory. */
    public static final String OFFSETS_DIR_NAME = "offsets";

    private static final Logger LOG = LoggerFactory.getLogger(FerryBroker.class);
    private static final long DRAIN_TIMEOUT_MS = 5_000;

    private final FerryConfig config;
    private final LogManager logManager;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handlerPool;
    private final EventLoopGroup acceptorGroup;
    private final EventLoopGroup networkGroup;
    private final ChannelGroup connections = new DefaultChannelGroup("ferry-connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Opened while serving starts; null until then. */
    private volatile OffsetStore offsetStore;
    /** Built while serving starts; null until then. */
    private volatile GroupCoordinator groupCoordinator;
    /** Opened while serving starts in {@code auth.mode=tenant}; null until then, and on an open broker. */
    private volatile HostedMode hostedMode;
    /** Started once every listener serves, unless {@code metrics.port} is 0; null until then, or if it cannot bind. */
    private volatile MetricsServer metricsServer;

    private FerryBroker(FerryConfig config, LogManager logManager) {
        this.config = config;
        this.logManager = logManager;
        this.scheduler = newScheduler();
        this.handlerPool = Executors.newFixedThreadPool(config.numIoThreads(), daemonThreads("ferry-request-handler-"));
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptorGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ferry-acceptor", true), io);
        this.networkGroup = new MultiThreadIoEventLoopGroup(config.numNetworkThreads(),
                new DefaultThreadFactory("ferry-network", true), io);
    }

    /**
     * Starts a broker: opens the storage, loads or creates the cluster id, registers every API and binds every
     * listener. Returns once all listeners accept connections.
     *
     * @throws IllegalStateException when a listener cannot be bound or the TLS key store cannot be loaded (the
     *                               message names which), after releasing everything opened so far; or, before
     *                               opening anything, when the open-file limit is too low for {@code max.connections}
     */
    public static FerryBroker start(FerryConfig config) {
        LOG.info("Starting Ferry broker {} with {}", config.nodeId(), config.effectiveValues());
        config.warnings().forEach(warning -> LOG.warn("{}", warning));
        // before anything is opened: a limit too low for max.connections fails the start here
        FileDescriptorLimit.check(config);
        LogManager logManager = LogManager.open(new StorageConfig(config.logDirs(), config.logMaxOpenSegments(),
                config.logRetentionCheckIntervalMs(), config.logFlushSchedulerIntervalMs(),
                config.producerIdExpirationMs()));
        FerryBroker broker;
        try {
            broker = new FerryBroker(config, logManager);
        } catch (RuntimeException e) {
            logManager.close();
            throw e;
        }
        try {
            broker.serve();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private void serve() {
        Path metadataDir = config.logDirs().get(0).resolve(METADATA_DIR_NAME);
        // Chronicle Queue needs a good part of a second to start: the offsets store opens on a thread of its own while
        // the rest of the broker starts, which shortens the time a restarted broker takes to serve
        CompletableFuture<OffsetStore> offsets = CompletableFuture.supplyAsync(() -> OffsetStore.open(
                metadataDir.resolve(OFFSETS_DIR_NAME), new OffsetStoreConfig(config.offsetsStoreSyncOnCommit(),
                        config.offsetsStoreSnapshotIntervalEntries())),
                task -> daemonThreads("ferry-offsets-open-").newThread(task).start());
        try {
            serve(metadataDir, offsets);
        } catch (RuntimeException | Error e) {
            if (offsetStore == null) {
                // whenever it finishes opening: close() below cannot see it
                offsets.thenAccept(OffsetStore::close);
            }
            throw e;
        }
    }

    private void serve(Path metadataDir, CompletableFuture<OffsetStore> offsets) {
        String clusterId = ClusterIds.loadOrCreate(config.clusterId(), metadataDir);
        HostedMode hosted = config.tenantAuth() ? HostedMode.open(config, metadataDir, logManager) : null;
        hostedMode = hosted;
        TopicManager topics = new TopicManager(config, logManager,
                hosted == null ? PartitionLimits.NONE : hosted.partitionLimits());
        BrokerMetrics metrics = new BrokerMetrics(config.metricsTopicLabelsEnabled(),
                id -> topics.topic(id).map(TopicInfo::name).orElse(null));
        BrokerServices services = new BrokerServices(config, topics, logManager, scheduler, metadataDir,
                hosted == null ? StorageQuota.NONE : hosted.storageQuota());
        AdvertisedListeners advertised = new AdvertisedListeners(config.advertisedListeners());
        ApiDispatcher dispatcher = new ApiDispatcher();
        LocalBroker broker = new LocalBroker(config.nodeId(), clusterId, advertised);
        ControlPlaneApis.register(dispatcher, services, broker);
        DataPlaneApis.register(dispatcher, services);
        offsetStore = opened(offsets);
        groupCoordinator = new GroupCoordinator(offsetStore, topics, scheduler, GroupCoordinator.Settings.from(config),
                System::currentTimeMillis);
        groupCoordinator.start();
        GroupApis.register(dispatcher, services, broker, groupCoordinator);
        metrics.watch(topics, logManager, groupCoordinator);
        if (hosted != null) {
            hosted.startMeasuring(scheduler);
        }

        Class<? extends ServerChannel> channelType = Epoll.isAvailable()
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // one TLS context for every TLS listener; a key store that cannot be loaded fails the start here
        SslContext sslContext = config.listeners().stream().anyMatch(config::usesTls)
                ? ServerSslContexts.fromConfig(config) : null;
        // one count over every listener, as Kafka's max.connections
        ConnectionLimits limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
        metrics.watchConnectionLimits(limits::refusedAtMaxConnections, limits::refusedAtMaxConnectionsPerIp,
                hosted == null ? null : hosted::connectionsRefusedAtApplicationLimit);
        ConnectionPolicy policy = new ConnectionPolicy(limits,
                hosted == null ? null : hosted.authentication(),
                hosted == null ? RequestThrottle.NONE : hosted.throttle());
        for (Listener listener : config.listeners()) {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptorGroup, networkGroup)
                    .channel(channelType)
                    // accept nothing until every listener's advertised address is known
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // set on the listening socket, so that accepted ones start with it (and its window scale)
                    .option(ChannelOption.SO_RCVBUF, systemDefaultIfMinusOne(config.socketReceiveBufferBytes()))
                    .childOption(ChannelOption.SO_SNDBUF, systemDefaultIfMinusOne(config.socketSendBufferBytes()))
                    .childHandler(new BrokerChannelInitializer(listener.name(),
                            config.usesTls(listener) ? sslContext : null, config.usesSasl(listener),
                            config.socketRequestMaxBytes(), dispatcher, handlerPool, connections, metrics, policy));
            InetSocketAddress address = listener.host().isEmpty()
                    ? new InetSocketAddress(listener.port()) : new InetSocketAddress(listener.host(), listener.port());
            Channel channel;
            try {
                channel = bootstrap.bind(address).syncUninterruptibly().channel();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot bind listener " + listener.spec() + ": " + e.getMessage(), e);
            }
            serverChannels.add(channel);
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            boundAddresses.add(bound);
            advertised.bound(listener.name(), reachableHost(listener), bound.getPort());
        }
        for (Channel channel : serverChannels) {
            channel.config().setAutoRead(true);
        }
        if (config.metricsPort() != 0) {
            // only now: a health check that answers means a broker that serves
            startMetricsEndpoint(metrics);
        }
        LOG.info("Ferry broker {} of cluster {} is serving on {} ({} transport{})", config.nodeId(), clusterId,
                boundAddresses, Epoll.isAvailable() ? "epoll" : "nio", hosted == null ? "" : ", hosted mode");
    }

    /** The offsets store once open, or what opening it threw. */
    private static OffsetStore opened(CompletableFuture<OffsetStore> offsets) {
        try {
            return offsets.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Starts the metrics and health endpoint. An endpoint that cannot be bound (its port taken, say by another broker
     * on the same machine) costs the clients nothing: the broker logs why and serves without it, and the health check
     * and scrapes that find nothing there show it.
     */
    private void startMetricsEndpoint(BrokerMetrics metrics) {
        try {
            metricsServer = MetricsServer.start(config.metricsHost(), config.metricsPort(), metrics.registry());
        } catch (IllegalStateException e) {
            LOG.warn("Serving without metrics and health endpoint: {}", e.getMessage());
        }
    }

    /** The open client connections, for tests. */
    ChannelGroup connections() {
        return connections;
    }

    /** The port the first listener is bound to. */
    public int port() {
        return boundAddresses.get(0).getPort();
    }

    /** {@code host:port} of the first listener, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        Listener first = config.listeners().get(0);
        String host = reachableHost(first);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Stops the broker: stops accepting connections and reports itself stopping on the health endpoint, lets in-flight
     * requests finish (up to a few seconds, long-poll fetches included), closes every connection and the metrics
     * endpoint, then flushes and closes the storage and the committed offsets.
     *
     * <p>Request handlers still running after the wait are left to finish rather than interrupted: interrupting a
     * thread inside {@code FileChannel} I/O closes that channel for every user of the segment, failing other appends
     * and the final flush. An interrupt of the calling thread is likewise held back until the storage is closed, and
     * restored on return.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        LOG.info("Stopping Ferry broker {}", config.nodeId());
        MetricsServer metricsEndpoint = metricsServer;
        if (metricsEndpoint != null) {
            metricsEndpoint.stopping();
        }
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        GroupCoordinator groups = groupCoordinator;
        if (groups != null) {
            // group timers (sessions of minutes) must not hold the scheduler's shutdown below
            groups.close();
        }
        // delayed tasks (long-poll timeouts) still run after shutdown(); periodic ones stop
        scheduler.shutdown();
        handlerPool.shutdown();
        interrupted |= awaitTermination(handlerPool, "request handlers", DRAIN_TIMEOUT_MS);
        interrupted |= awaitTermination(scheduler, "scheduled tasks", DRAIN_TIMEOUT_MS);
        connections.close().awaitUninterruptibly();
        networkGroup.shutdownGracefully(0, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptorGroup.shutdownGracefully(0, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        if (metricsEndpoint != null) {
            // before the storage closes under the scrape-time gauges
            metricsEndpoint.close();
        }
        HostedMode hosted = hostedMode;
        if (hosted != null) {
            hosted.close();
        }
        // the uninterruptible waits above restore an interrupt that came meanwhile; the flush must not see it
        interrupted |= Thread.interrupted();
        OffsetStore offsets = offsetStore;
        if (offsets != null) {
            offsets.close();
        }
        logManager.close();
        LOG.info("Ferry broker {} stopped", config.nodeId());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeoutMs} for a shut-down executor to finish its tasks, then goes on, logging what is left;
     * never interrupts the executor's threads. Waits out an interrupt of the calling thread too, and reports it
     * instead of restoring it.
     *
     * @return true when the calling thread was interrupted while waiting
     */
    static boolean awaitTermination(ExecutorService executor, String what, long timeoutMs) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (;;) {
            try {
                if (!executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    LOG.warn("Gave up waiting for {} after {} ms; they keep running", what, timeoutMs);
                }
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** A socket buffer size for a channel option: null (no option, the system's default) for -1. */
    private static Integer systemDefaultIfMinusOne(int bytes) {
        return bytes == -1 ? null : bytes;
    }

    /**
     * The host clients can reach a listener at: its own host, or for a listener on every interface the machine's
     * canonical host name, as Kafka advertises it.
     */
    private static String reachableHost(Listener listener) {
        if (!listener.bindsAllInterfaces()) {
            return listener.host();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("ferry-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
