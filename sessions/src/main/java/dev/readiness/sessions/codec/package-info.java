/**
 * How attribute values become bytes in the store. The default, {@link dev.readiness.sessions.codec.BasicAttributeCodec},
 * reads back only a fixed set of JDK value types and never instantiates a class named by the stored bytes.
 */
package dev.readiness.sessions.codec;
