/** The Redis session store on Lettuce: one hash per session, atomic Lua scripts for save and rotation. */
package dev.readiness.sessions.redis;
