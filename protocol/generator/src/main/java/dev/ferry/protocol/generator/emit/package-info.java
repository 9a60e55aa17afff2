/**
 * Prints Java source for the message model: message classes, the API dispatch enum and test support.
 */
package dev.ferry.protocol.generator.emit;
