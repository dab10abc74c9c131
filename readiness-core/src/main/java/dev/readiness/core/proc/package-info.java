/** What the library reads from {@code /proc}: one parser per file, shared by the modules that read it. */
package dev.readiness.core.proc;
