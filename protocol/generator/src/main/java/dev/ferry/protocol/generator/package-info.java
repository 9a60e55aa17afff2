/**
 * The build-time generator of Ferry's protocol message classes from the message specs in the kafka-clients jar.
 */
package dev.ferry.protocol.generator;
