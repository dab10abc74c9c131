package dev.readiness.sessions.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * Mirror mode while Redis does not answer: the container's copy of the session, served as it is. Every attribute
 * the request sets or removes, and every value of a mutable type it reads (it may change it in place), is noted
 * in the copy, so the first request that finds Redis answering again writes exactly those to Redis. Internal
 * attributes (the Redis id, the version, the notes) are hidden from the application.
 */
final class MirroredSession implements HttpSession {

    static final String INTERNAL = "dev.readiness.sessions.";

    private final HttpSession container;
    private final SessionRequest request;
    private final String id;
    private volatile boolean invalid;

    MirroredSession(HttpSession container, SessionRequest request, String id) {
        this.container = container;
        this.request = request;
        this.id = id;
    }

    HttpSession container() {
        return container;
    }

    boolean isInvalid() {
        return invalid;
    }

    /** Notes {@code name} as changed while Redis did not answer. */
    private void pending(String name) {
        MirrorStrategy.notePending(container, Set.of(name));
    }

    @Override
    public long getCreationTime() {
        return container.getCreationTime();
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public long getLastAccessedTime() {
        return container.getLastAccessedTime();
    }

    @Override
    public ServletContext getServletContext() {
        return container.getServletContext();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        if (interval <= 0) {
            throw new IllegalArgumentException("max inactive interval " + interval
                    + "s: sessions mirrored to Redis always expire; use a positive number of seconds");
        }
        container.setMaxInactiveInterval(interval);
    }

    @Override
    public int getMaxInactiveInterval() {
        return container.getMaxInactiveInterval();
    }

    @Override
    public Object getAttribute(String name) {
        if (name == null || name.startsWith(INTERNAL)) {
            return null;
        }
        Object v = container.getAttribute(name);
        if (v != null && RedisHttpSession.mayChangeInPlace(v)) {
            pending(name);
        }
        return v;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> e = container.getAttributeNames(); e.hasMoreElements(); ) {
            String n = e.nextElement();
            if (!n.startsWith(INTERNAL)) {
                names.add(n);
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (name != null && name.startsWith(INTERNAL)) {
            throw new IllegalArgumentException("attribute names starting with " + INTERNAL + " are reserved");
        }
        if (value != null) {
            request.store().codec().encode(value); // fail where the application put it, not at the mirror
        }
        container.setAttribute(name, value);
        pending(name);
    }

    @Override
    public void removeAttribute(String name) {
        if (name != null && !name.startsWith(INTERNAL)) {
            container.removeAttribute(name);
            pending(name);
        }
    }

    @Override
    public void invalidate() {
        invalid = true;
        container.invalidate();
        request.invalidated(id);
    }

    @Override
    public boolean isNew() {
        return container.isNew();
    }
}
