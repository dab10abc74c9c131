package dev.readiness.gc.cgroup;

/** The cgroup hierarchy a process's limits come from. */
public enum CgroupVersion {
    /** Legacy per-controller hierarchies (also "hybrid" hosts where v1 controllers hold memory and cpu). */
    V1,
    /** The unified hierarchy. */
    V2,
    /** No cgroup file system found (not Linux, or /proc and /sys not mounted). */
    NONE
}
