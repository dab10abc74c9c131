package dev.readiness.core.listen;

/**
 * One listening TCP socket as {@code /proc/net/tcp} or {@code /proc/net/tcp6} shows it.
 *
 * @param address    the local address it is bound to, e.g. {@code 0.0.0.0}, {@code 127.0.0.1}, {@code 0:0:0:0:0:0:0:1}
 * @param port       the local port
 * @param queueDepth connections that completed the handshake and wait in the accept queue ({@code rx_queue} of
 *                   a LISTEN row); the kernel holds at most effective backlog + 1 of them
 * @param inode      the socket's inode, which {@code /proc/self/fd} links name as {@code socket:[inode]}
 * @param ipv6       whether the row came from {@code tcp6}
 */
public record ListenSocket(String address, int port, int queueDepth, long inode, boolean ipv6) {

    /** {@code address:port}, with IPv6 addresses in brackets. */
    public String endpoint() {
        return (ipv6 && address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
