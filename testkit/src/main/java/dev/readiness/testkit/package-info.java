/**
 * Test support shared by readiness modules and offered to users: real servers and kubelet-exact fixtures.
 */
package dev.readiness.testkit;
