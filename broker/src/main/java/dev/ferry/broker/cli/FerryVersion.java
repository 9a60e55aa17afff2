package dev.ferry.broker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code ferry --version}, from a resource the build fills in. */
public final class FerryVersion implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"ferry " + version()};
    }

    /** The project version this jar was built as. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = FerryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return properties.getProperty("version", "unknown");
    }
}
