package dev.ferry.broker.cli;

/** Shutdown hooks of commands that clean up on Ctrl-C and remove their hook when they end normally. */
final class ShutdownHooks {

    private ShutdownHooks() {
    }

    /** Removes {@code hook}, unless the JVM is already shutting down and running it. */
    static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutdown is in progress: the hook is running, or has run
        }
    }
}
