package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionTooLargeException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;

import dev.readiness.sessions.SessionSettings;

import java.time.Duration;
import java.util.Arrays;
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
 * <p>
 * With {@code readiness.sessions.save-mode=changed} (the default) a value the request got from
 * {@link #getAttribute} and changed in place, without calling {@code setAttribute} again (a list appended to, as
 * code written for in-memory sessions does), is saved too: at save, each such value of a mutable type is encoded
 * and compared with the bytes it was loaded from. Strings, numbers, booleans, enums, UUIDs and {@code java.time}
 * values cannot change in place and are not compared.
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
    private final Set<String> read = new HashSet<>();
    private final boolean compare;
    private long version;
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
        this.version = stored.version();
        this.compare = request.filter().settings().saveMode() == SessionSettings.SaveMode.CHANGED;
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
        this.compare = request.filter().settings().saveMode() == SessionSettings.SaveMode.CHANGED;
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
        Object v = attributes.get(name);
        if (compare && v != null && base != null && !changed.contains(name) && mayChangeInPlace(v)) {
            read.add(name);
        }
        return v;
    }

    /** Whether a value's state can change without a new {@code setAttribute}: false for the JDK's immutable types. */
    static boolean mayChangeInPlace(Object v) {
        Class<?> c = v.getClass();
        return !(c == String.class || c == Integer.class || c == Long.class || c == Boolean.class || c == Double.class
                || c == Float.class || c == Short.class || c == Byte.class || c == Character.class
                || c == java.math.BigInteger.class || c == java.math.BigDecimal.class || c == java.util.UUID.class
                || v instanceof Enum<?> || c.getName().startsWith("java.time."));
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
        if (dev.readiness.sessions.codec.BasicAttributeCodec.unpairedSurrogate(name) >= 0) {
            // Stored as UTF-8, it would come back as another name ('?' in its place).
            throw new IllegalArgumentException("attribute name has an unpaired surrogate: not Unicode text");
        }
        if (value == null) {
            removeAttribute(name);
            return;
        }
        int size = request.store().codec().encode(value).length + StoredSession.nameBytes(name);
        int total = size;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (!e.getKey().equals(name)) {
                total += e.getValue() + StoredSession.nameBytes(e.getKey());
            }
        }
        int most = request.store().maxAttributes();
        if (!sizes.containsKey(name) && sizes.size() >= most) {
            throw new SessionTooLargeException("session attribute '" + name + "' would be attribute " + (sizes.size() + 1)
                    + ", over readiness.sessions.max-attributes=" + most, sizes.size() + 1, most);
        }
        int limit = request.store().maxSize();
        if (total > limit) {
            throw new SessionTooLargeException("session attribute '" + name + "' (" + size
                    + " bytes) would make the session " + total + " bytes, over readiness.sessions.max-size=" + limit,
                    total, limit);
        }
        sizes.put(name, size - StoredSession.nameBytes(name));
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
        changedInPlace();
        return base == null || !changed.isEmpty() || !removed.isEmpty() || maxInactiveChanged;
    }

    /**
     * Values read by this request whose encoding no longer matches the bytes they were loaded from join the
     * changed attributes; how many did.
     */
    private int changedInPlace() {
        if (read.isEmpty() || base == null) {
            return 0;
        }
        int n = 0;
        for (String name : read) {
            Object v = attributes.get(name);
            if (v == null || changed.contains(name)) {
                continue;
            }
            byte[] now = request.store().codec().encode(v);
            if (!Arrays.equals(now, base.encoded().get(name))) {
                changed.add(name);
                sizes.put(name, now.length);
                n++;
            }
        }
        if (n > 0) {
            request.filter().events().changedInPlace(n);
        }
        return n;
    }

    /** The version of the stored session this view was loaded from or last saved as; 0 for a new one. */
    synchronized long version() {
        return version;
    }

    /** Every attribute, for a copy (mirror mode's container session). */
    synchronized Map<String, Object> attributes() {
        return new LinkedHashMap<>(attributes);
    }

    synchronized long storedAccessTime() {
        return lastAccessedTime;
    }

    /** The delta since the load (or everything, for a new session). */
    synchronized SessionWrite delta() {
        return delta(id);
    }

    private SessionWrite delta(String under) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String n : changed) {
            c.put(n, attributes.get(n));
        }
        return new SessionWrite(under, base, creationTime, maxInactive, base == null ? attributes : c, removed);
    }

    /** The delta since the load under {@code newId}, for a rotation. */
    synchronized SessionWrite rotation(String newId) {
        changedInPlace();
        return delta(newId);
    }

    /** After a successful write that left the store at {@code newVersion}: the stored state equals this view. */
    synchronized void written(long now, long newVersion) {
        Map<String, byte[]> encoded = new HashMap<>(base == null ? Map.of() : base.encoded());
        encoded.keySet().removeAll(changed); // written from the live value: its bytes are not kept
        encoded.keySet().removeAll(removed);
        changed.clear();
        removed.clear();
        maxInactiveChanged = false;
        lastAccessedTime = now;
        isNew = false;
        version = newVersion;
        base = new StoredSession(id, creationTime, now, maxInactive, attributes, sizes, Set.of(), false, newVersion,
                encoded);
    }

    synchronized void changeId(String newId) {
        this.id = newId;
    }

    synchronized void newIdBeforeSave(String newId) {
        this.id = newId;
    }
}
