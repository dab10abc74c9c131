package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionTooLargeException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;

import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The request's view of a Redis session. Tracks which attributes this request set and removed, so a save
 * writes only those. Values are encoded at {@link #setAttribute} (a value the codec cannot store, or a session
 * over the size limit, fails right there) and again at save, so changes made to a value after it was set are
 * saved as long as {@code setAttribute} was called for it in this request.
 */
final class RedisHttpSession implements HttpSession {

    private final SessionRequest request;
    private String id;
    private StoredSession base;
    private final long creationTime;
    private long lastAccessedTime;
    private Duration maxInactive;
    private final Map<String, Object> attributes;
    private final Map<String, Integer> sizes;
    private final Set<String> changed = new HashSet<>();
    private final Set<String> removed = new HashSet<>();
    private boolean maxInactiveChanged;
    private boolean invalid;
    private boolean isNew;

    /** A session loaded from the store. */
    RedisHttpSession(SessionRequest request, StoredSession stored) {
        this.request = request;
        this.id = stored.id();
        this.base = stored;
        this.creationTime = stored.creationTime();
        this.lastAccessedTime = stored.lastAccessTime();
        this.maxInactive = stored.maxInactive();
        this.attributes = new LinkedHashMap<>(stored.attributes());
        this.sizes = new HashMap<>(stored.sizes());
        this.sizes.keySet().removeAll(stored.undecodable());
    }

    /** A session created by this request, not yet in the store. */
    RedisHttpSession(SessionRequest request, String id, long now, Duration maxInactive) {
        this.request = request;
        this.id = id;
        this.creationTime = now;
        this.lastAccessedTime = now;
        this.maxInactive = maxInactive;
        this.attributes = new LinkedHashMap<>();
        this.sizes = new HashMap<>();
        this.isNew = true;
    }

    @Override
    public synchronized long getCreationTime() {
        check();
        return creationTime;
    }

    @Override
    public synchronized String getId() {
        return id;
    }

    /** The last save or refresh; precise to readiness.sessions.refresh-threshold. */
    @Override
    public synchronized long getLastAccessedTime() {
        check();
        return lastAccessedTime;
    }

    @Override
    public ServletContext getServletContext() {
        return request.getServletContext();
    }

    /**
     * @throws IllegalArgumentException for 0 or less: a session in Redis always expires
     */
    @Override
    public synchronized void setMaxInactiveInterval(int seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("max inactive interval " + seconds
                    + "s: sessions in Redis always expire; use a positive number of seconds");
        }
        maxInactive = Duration.ofSeconds(seconds);
        maxInactiveChanged = true;
    }

    @Override
    public synchronized int getMaxInactiveInterval() {
        return (int) Math.min(Integer.MAX_VALUE, maxInactive.toSeconds());
    }

    @Override
    public synchronized Object getAttribute(String name) {
        check();
        return attributes.get(name);
    }

    @Override
    public synchronized Enumeration<String> getAttributeNames() {
        check();
        return Collections.enumeration(new java.util.ArrayList<>(attributes.keySet()));
    }

    /**
     * @throws IllegalArgumentException when the codec cannot store {@code value}
     * @throws SessionTooLargeException  when the session would exceed readiness.sessions.max-size
     */
    @Override
    public synchronized void setAttribute(String name, Object value) {
        check();
        if (name == null) {
            throw new IllegalArgumentException("attribute name is null");
        }
        if (value == null) {
            removeAttribute(name);
            return;
        }
        int size = request.store().codec().encode(value).length;
        int total = size;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (!e.getKey().equals(name)) {
                total += e.getValue();
            }
        }
        int limit = request.store().maxSize();
        if (total > limit) {
            throw new SessionTooLargeException("session attribute '" + name + "' (" + size
                    + " bytes) would make the session " + total + " bytes, over readiness.sessions.max-size=" + limit,
                    total, limit);
        }
        sizes.put(name, size);
        attributes.put(name, value);
        changed.add(name);
        removed.remove(name);
    }

    @Override
    public synchronized void removeAttribute(String name) {
        check();
        if (attributes.remove(name) != null || (base != null && base.undecodable().contains(name))) {
            sizes.remove(name);
            changed.remove(name);
            removed.add(name);
        }
    }

    @Override
    public void invalidate() {
        synchronized (this) {
            check();
            invalid = true;
        }
        request.invalidated(persisted() ? getId() : null);
    }

    @Override
    public synchronized boolean isNew() {
        check();
        return isNew;
    }

    private void check() {
        if (invalid) {
            throw new IllegalStateException("session was invalidated");
        }
    }

    synchronized boolean isInvalid() {
        return invalid;
    }

    synchronized boolean persisted() {
        return base != null;
    }

    synchronized boolean dirty() {
        return base == null || !changed.isEmpty() || !removed.isEmpty() || maxInactiveChanged;
    }

    synchronized long storedAccessTime() {
        return lastAccessedTime;
    }

    /** The delta since the load (or everything, for a new session). */
    synchronized SessionWrite delta() {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String n : changed) {
            c.put(n, attributes.get(n));
        }
        return new SessionWrite(id, base, creationTime, maxInactive, base == null ? attributes : c, removed);
    }

    /** The complete state, for a rotation to {@code newId}. */
    synchronized SessionWrite full(String newId) {
        return new SessionWrite(newId, base, creationTime, maxInactive, attributes, Set.of());
    }

    /** After a successful write: the stored state now equals this view. */
    synchronized void written(long now) {
        changed.clear();
        removed.clear();
        maxInactiveChanged = false;
        lastAccessedTime = now;
        isNew = false;
        base = new StoredSession(id, creationTime, now, maxInactive, attributes, sizes, Set.of());
    }

    synchronized void changeId(String newId) {
        this.id = newId;
        this.base = new StoredSession(newId, creationTime, lastAccessedTime, maxInactive, attributes, sizes, Set.of());
    }

    synchronized void newIdBeforeSave(String newId) {
        this.id = newId;
    }
}
