package dev.readiness.bench.grpc;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/** A name resolver that always answers the same loopback ports, for a channel with {@code round_robin} over them. */
final class FixedAddresses extends NameResolver.Factory {

    private final List<Integer> ports;

    FixedAddresses(List<Integer> ports) {
        this.ports = List.copyOf(ports);
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return "load";
            }

            @Override
            public void start(Listener2 listener) {
                List<EquivalentAddressGroup> groups = ports.stream()
                        .map(p -> new EquivalentAddressGroup((SocketAddress) new InetSocketAddress("127.0.0.1", p)))
                        .toList();
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            }

            @Override
            public void shutdown() {
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return "fixed";
    }
}
