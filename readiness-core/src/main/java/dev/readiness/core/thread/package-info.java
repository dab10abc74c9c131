/** The threads the library starts, all made by {@link dev.readiness.core.thread.DaemonThreads}. */
package dev.readiness.core.thread;
