/**
 * The server half of SASL authentication (SaslHandshake and SaslAuthenticate, with PLAIN and SCRAM) for tenants,
 * checking credentials against the tenant registry; pure logic that the network layer drives, one session per
 * connection.
 */
package dev.ferry.broker.auth;
