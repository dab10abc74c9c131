package dev.readiness.sessions.servlet;

import java.io.Serializable;
import java.util.List;

/** An application class stored in the session with the JDK codec. */
public class Cart implements Serializable {
    private static final long serialVersionUID = 1L;
    public List<String> items;

    public Cart() {
    }

    public Cart(List<String> items) {
        this.items = items;
    }
}
