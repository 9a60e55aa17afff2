/** Topic definitions, their settings and their partition logs, as the handlers see them. */
package dev.ferry.broker.topic;
