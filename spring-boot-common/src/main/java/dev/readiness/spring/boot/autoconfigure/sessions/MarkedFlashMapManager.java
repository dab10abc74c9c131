package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.sessions.SessionSettings;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.util.CollectionUtils;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.FlashMapManager;
import org.springframework.web.servlet.support.AbstractFlashMapManager;
import org.springframework.web.servlet.support.SessionFlashMapManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring MVC's flash attributes in the Redis session, behind a marker cookie.
 * <p>
 * Spring MVC asks the flash-map manager on every request whether the session holds flash attributes, and to
 * answer, the session must be loaded from Redis: every request that carried a session cookie paid a round trip
 * whether or not it touched its session. The marker ({@code <session cookie name>_FLASH=1}, no data) is set when
 * a request saves flash attributes (the redirect after a POST) and removed once none are left, so only requests
 * that may have flash attributes look in the session. The attributes stay in the session, so the redirect may land
 * on any instance.
 * <p>
 * They are kept as plain maps, lists, strings and numbers ({@link #ATTRIBUTE}) rather than as {@link FlashMap}
 * objects, which the default {@code basic} codec would read back as plain maps: flash attribute values need only
 * be values the session codec can store. A client that drops the marker loses its pending flash attributes (they
 * expire in the session after Spring's flash-map timeout, 180 s by default); a marker without flash attributes
 * behind it costs one load and is then removed.
 */
final class MarkedFlashMapManager implements FlashMapManager {

    /** The session attribute holding the pending flash maps. */
    static final String ATTRIBUTE = "readiness.flash-maps";

    private final Store store = new Store();
    private final SessionSettings settings;
    private final String marker;

    /** Takes over {@code original}'s timeout and path helper. */
    MarkedFlashMapManager(SessionFlashMapManager original, SessionSettings settings) {
        this.settings = settings;
        this.marker = settings.cookieName() + "_FLASH";
        store.setFlashMapTimeout(original.getFlashMapTimeout());
        store.setUrlPathHelper(original.getUrlPathHelper());
    }

    @Override
    public FlashMap retrieveAndUpdate(HttpServletRequest request, HttpServletResponse response) {
        if (!marked(request)) {
            return null;
        }
        FlashMap input = store.retrieveAndUpdate(request, response);
        HttpSession session = request.getSession(false); // loaded already by the store: no second round trip
        if (session == null || CollectionUtils.isEmpty((List<?>) session.getAttribute(ATTRIBUTE))) {
            response.addCookie(cookie(request, false));
        }
        return input;
    }

    @Override
    public void saveOutputFlashMap(FlashMap flashMap, HttpServletRequest request, HttpServletResponse response) {
        store.saveOutputFlashMap(flashMap, request, response);
        // set even when the request came marked: its retrieveAndUpdate may have just removed the marker
        if (!CollectionUtils.isEmpty(flashMap)) {
            response.addCookie(cookie(request, true));
        }
    }

    private boolean marked(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (marker.equals(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Cookie cookie(HttpServletRequest request, boolean set) {
        Cookie c = new Cookie(marker, set ? "1" : "");
        String context = request.getContextPath();
        c.setPath(settings.cookiePath().orElse(context == null || context.isEmpty() ? "/" : context));
        c.setHttpOnly(true);
        c.setSecure(settings.cookieSecure());
        c.setAttribute("SameSite", settings.sameSite());
        c.setMaxAge(set ? -1 : 0);
        return c;
    }

    /** The flash maps in the session as codec-friendly values: path, params, expiry and the attributes. */
    private static final class Store extends AbstractFlashMapManager {

        @Override
        protected List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            Object stored = session == null ? null : session.getAttribute(ATTRIBUTE);
            if (!(stored instanceof List<?> list)) {
                return null;
            }
            List<FlashMap> maps = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    maps.add(fromStored(m));
                }
            }
            return maps;
        }

        @Override
        protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request,
                                       HttpServletResponse response) {
            if (flashMaps.isEmpty()) {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.removeAttribute(ATTRIBUTE);
                }
                return;
            }
            List<Map<String, Object>> stored = new ArrayList<>(flashMaps.size());
            for (FlashMap f : flashMaps) {
                stored.add(toStored(f));
            }
            request.getSession().setAttribute(ATTRIBUTE, stored);
        }

        private static Map<String, Object> toStored(FlashMap f) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (f.getTargetRequestPath() != null) {
                m.put("path", f.getTargetRequestPath());
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            f.getTargetRequestParams().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
            m.put("params", params);
            m.put("expires", f.getExpirationTime());
            m.put("attributes", new LinkedHashMap<>(f));
            return m;
        }

        private static FlashMap fromStored(Map<?, ?> m) {
            FlashMap f = new FlashMap();
            if (m.get("path") instanceof String path) {
                f.setTargetRequestPath(path);
            }
            if (m.get("params") instanceof Map<?, ?> params) {
                params.forEach((k, v) -> {
                    if (v instanceof List<?> values) {
                        values.forEach(value -> f.addTargetRequestParam(String.valueOf(k), String.valueOf(value)));
                    }
                });
            }
            // a stored map without a readable expiry has expired: it is dropped at once
            f.setExpirationTime(m.get("expires") instanceof Number n ? n.longValue() : 0L);
            if (m.get("attributes") instanceof Map<?, ?> attributes) {
                attributes.forEach((k, v) -> f.put(String.valueOf(k), v));
            }
            return f;
        }
    }
}
