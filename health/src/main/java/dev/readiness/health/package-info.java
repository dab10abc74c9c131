/** Management server, dependency checks and server adapters. */
package dev.readiness.health;
