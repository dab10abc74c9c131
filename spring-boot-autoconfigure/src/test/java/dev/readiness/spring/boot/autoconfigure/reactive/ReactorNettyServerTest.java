package dev.readiness.spring.boot.autoconfigure.reactive;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reflection on Boot's Reactor Netty server, on stand-ins of the shapes it reads (the real server: {@code
 * HttpListenerLivenessTest}, {@code NewApplicationsIT}): a server that is not Netty's, one not started, one whose
 * shape moved, and a channel reached through a public interface only, as Netty's package-private classes are.
 */
class ReactorNettyServerTest {

    /** The channel's public face; the implementation below is package-private, as Netty's are. */
    public interface Channel {
        boolean isOpen();

        Future close();

        Object localAddress();
    }

    public interface Future {
        boolean awaitUninterruptibly(long millis);
    }

    public interface Disposable {
        Channel channel();
    }

    static final class OpenChannel implements Channel {
        final AtomicBoolean open = new AtomicBoolean(true);
        long waited = -1;

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public Future close() {
            open.set(false);
            return millis -> {
                waited = millis;
                return true;
            };
        }

        @Override
        public Object localAddress() {
            return "/127.0.0.1:8080";
        }
    }

    /** Named as Boot names its server, with the field Boot keeps the server in. */
    static final class NettyWebServer {
        @SuppressWarnings("unused") // read by reflection
        private volatile Disposable disposableServer;

        NettyWebServer(Disposable disposable) {
            this.disposableServer = disposable;
        }
    }

    /** Boot's name, and a shape that moved. */
    static final class Moved {
        static final class NettyWebServer {
            @SuppressWarnings("unused")
            private final Object server = new Object();
        }
    }

    @Test
    void onlyBootsNettyServerIsRecognised() {
        assertThat(ReactorNettyServer.is(new NettyWebServer(null))).isTrue();
        assertThat(ReactorNettyServer.is(new Object())).isFalse();
        assertThat(ReactorNettyServer.is(null)).isFalse();
    }

    @Test
    void itsChannelIsReadAndClosedThroughThePublicInterfaces() throws Exception {
        OpenChannel channel = new OpenChannel();
        ReactorNettyServer server = ReactorNettyServer.of(new NettyWebServer(() -> channel));
        assertThat(server.isOpen()).isTrue();
        assertThat(server).hasToString("/127.0.0.1:8080");
        server.close(1234);
        assertThat(server.isOpen()).isFalse();
        assertThat(channel.waited).isEqualTo(1234);
    }

    @Test
    void aServerNotStartedHasNoChannel() throws Exception {
        assertThat(ReactorNettyServer.of(new NettyWebServer(null))).isNull();
        assertThat(ReactorNettyServer.of(new NettyWebServer(() -> null))).isNull();
    }

    @Test
    void aShapeThatMovedIsAnExceptionToReportNotACrash() {
        assertThatThrownBy(() -> ReactorNettyServer.of(new Moved.NettyWebServer()))
                .isInstanceOf(NoSuchFieldException.class);
    }
}
