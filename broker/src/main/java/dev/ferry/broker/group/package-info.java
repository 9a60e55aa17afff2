/** The group coordinator: where consumer groups keep their committed offsets. */
package dev.ferry.broker.group;
