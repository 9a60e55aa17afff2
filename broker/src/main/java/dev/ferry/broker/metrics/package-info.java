/** The broker's Prometheus metrics, and the HTTP endpoint serving them with the broker's health. */
package dev.ferry.broker.metrics;
