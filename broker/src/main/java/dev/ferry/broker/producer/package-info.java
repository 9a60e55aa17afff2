/** Producer ids for idempotent producers, unique across broker restarts. */
package dev.ferry.broker.producer;
