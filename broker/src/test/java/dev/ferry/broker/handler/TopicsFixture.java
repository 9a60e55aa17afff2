package dev.ferry.broker.handler;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.network.AdvertisedListeners;
import dev.ferry.broker.tenant.Principal;
import dev.ferry.broker.tenant.Role;
import dev.ferry.broker.topic.TopicManager;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.Listener;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.storage.LogManager;
import dev.ferry.storage.StorageConfig;
import dev.ferry.storage.offsets.OffsetStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/** A real topic manager over storage in a temporary directory, for driving control-plane handlers directly. */
final class TopicsFixture implements AutoCloseable {

    static final String LISTENER = "PLAINTEXT";
    static final String CLUSTER_ID = "fixture-cluster-id-001";

    final FerryConfig config;
    final LogManager logManager;
    final TopicManager topics;
    final LocalBroker broker;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    TopicsFixture(Path dir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("log.dirs", dir.toString());
        all.putIfAbsent("listeners", LISTENER + "://127.0.0.1:0");
        config = FerryConfig.of(all);
        logManager = LogManager.open(new StorageConfig(List.of(dir), 64, 60_000, 1_000));
        topics = new TopicManager(config, logManager);
        AdvertisedListeners listeners =
                new AdvertisedListeners(List.of(Listener.parse(LISTENER + "://broker.example:0")));
        listeners.bound(LISTENER, "127.0.0.1", 19092);
        broker = new LocalBroker(config.nodeId(), CLUSTER_ID, listeners);
    }

    static RequestContext context(ApiMessageType api, int version) {
        return new RequestContext(api.apiKey(), (short) version, 1, "fixture-client", null, LISTENER, 0L);
    }

    /** A request acting for {@code principal}, as on a broker with {@code auth.mode=tenant}. */
    static RequestContext context(ApiMessageType api, int version, Principal principal) {
        return context(api, version).withPrincipal(principal);
    }

    /** A principal of the application {@code acme}, whose resources start with {@code acme.}, through a key of role. */
    static Principal acme(Role role) {
        return new Principal("acme", "ci", "k1", role);
    }

    /** A group coordinator over {@code store} and these topics, its timers on a scheduler this fixture owns. */
    GroupCoordinator groupCoordinator(OffsetStore store, LongSupplier clockMs) {
        return new GroupCoordinator(store, topics, scheduler, GroupCoordinator.Settings.from(config), clockMs);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        logManager.close();
    }
}
