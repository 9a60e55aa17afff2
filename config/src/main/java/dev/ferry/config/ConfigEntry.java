package dev.ferry.config;

/**
 * One config as DescribeConfigs reports it.
 *
 * @param name          the config name
 * @param value         its effective value as text; {@code null} when it has none
 * @param source        where the value came from: {@link ConfigSource#TOPIC} for a topic override, else the
 *                      broker setting's source, {@link ConfigSource#DEFAULT} when nothing set it
 * @param readOnly      true when it cannot be altered at runtime
 * @param sensitive     true when the value must not be shown (no Ferry config is)
 * @param type          its value type
 * @param documentation its one-line description
 */
public record ConfigEntry(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
                          ConfigType type, String documentation) {
}
