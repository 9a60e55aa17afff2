/** The Ferry broker: its start-up, shut-down and the services its handlers share. */
package dev.ferry.broker;
