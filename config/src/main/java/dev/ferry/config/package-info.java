/**
 * Ferry's typed configuration: broker settings from defaults, a properties file, the environment and command-line
 * overrides, and the topic-level configs with Kafka's names and rules.
 */
package dev.ferry.config;
