/**
 * Per-application quotas of hosted mode: the limits an application is held to (broker defaults overridden by its own
 * settings), the sampled rates its produce, fetch and request traffic is measured with, and the throttle times and
 * connection counts that enforce them.
 */
package dev.ferry.broker.quota;
