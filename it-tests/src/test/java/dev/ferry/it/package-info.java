/** End-to-end tests: real Kafka clients and raw sockets against an in-VM Ferry broker. */
package dev.ferry.it;
