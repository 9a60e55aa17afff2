/** The Netty pipeline that turns bytes into Kafka requests, runs their handlers and writes the responses back. */
package dev.ferry.broker.network;
