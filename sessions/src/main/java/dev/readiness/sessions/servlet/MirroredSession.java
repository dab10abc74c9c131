package dev.readiness.sessions.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Mirror mode: the container's own session, unchanged in behaviour, with a note of whether this request
 * changed it so the filter mirrors it to Redis. Internal attributes (the Redis id and the refresh time) are
 * hidden from the application.
 */
final class MirroredSession implements HttpSession {

    static final String INTERNAL = "dev.readiness.sessions.";
    static final String MIRROR_ID = INTERNAL + "id";
    static final String MIRRORED_AT = INTERNAL + "mirroredAt";

    private final HttpSession container;
    private final SessionRequest request;
    private volatile boolean dirty;
    private volatile boolean invalid;

    MirroredSession(HttpSession container, SessionRequest request) {
        this.container = container;
        this.request = request;
    }

    HttpSession container() {
        return container;
    }

    boolean dirty() {
        return dirty;
    }

    void clean() {
        dirty = false;
    }

    boolean isInvalid() {
        return invalid;
    }

    String mirrorId() {
        return (String) container.getAttribute(MIRROR_ID);
    }

    @Override
    public long getCreationTime() {
        return container.getCreationTime();
    }

    @Override
    public String getId() {
        return container.getId();
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
        dirty = true;
    }

    @Override
    public int getMaxInactiveInterval() {
        return container.getMaxInactiveInterval();
    }

    @Override
    public Object getAttribute(String name) {
        return name != null && name.startsWith(INTERNAL) ? null : container.getAttribute(name);
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
        dirty = true;
    }

    @Override
    public void removeAttribute(String name) {
        container.removeAttribute(name);
        dirty = true;
    }

    @Override
    public void invalidate() {
        String id = mirrorId();
        invalid = true;
        container.invalidate();
        request.invalidated(id);
    }

    @Override
    public boolean isNew() {
        return container.isNew();
    }
}
