/**
 * The shared-outage benchmark: two replicas of a service behind a health-checking load balancer
 * ({@link dev.readiness.testkit.http.WeightedProxy}) while the Redis session store they share is killed and
 * started again. Run it with {@code benchmarks/run.sh --full --only shared-outage}
 * ({@link dev.readiness.bench.outage.SharedOutageReport}).
 */
package dev.readiness.bench.outage;
