/**
 * Hosted mode's tenants: applications, their API keys and roles, the registry file the {@code ferry app} and
 * {@code ferry key} commands edit, and the broker-side view that authenticates keys and reloads on change.
 */
package dev.ferry.broker.tenant;
