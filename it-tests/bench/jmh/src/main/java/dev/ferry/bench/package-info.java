/** JMH microbenchmarks of Ferry's hot paths: request and response codecs, log append and log read. */
package dev.ferry.bench;
