/** Reading the partitions of a Fetch request, and parking fetches that wait for data until an append or a timeout. */
package dev.ferry.broker.fetch;
