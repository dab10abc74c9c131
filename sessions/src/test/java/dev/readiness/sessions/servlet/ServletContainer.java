package dev.readiness.sessions.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * A real servlet container on a loopback ephemeral port, with one filter (async supported, for REQUEST and ASYNC
 * dispatches) in front of one servlet at {@code /*}, as an application would register them.
 */
enum ServletContainer {

    JETTY {
        @Override
        Running start(Filter filter, HttpServlet servlet) throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            ctx.setContextPath("/");
            FilterHolder f = new FilterHolder(filter);
            f.setAsyncSupported(true);
            ctx.addFilter(f, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            ServletHolder s = new ServletHolder(servlet);
            s.setAsyncSupported(true);
            ctx.addServlet(s, "/*");
            server.setHandler(ctx);
            server.start();
            return new Running(connector.getLocalPort(), server::stop);
        }
    },

    TOMCAT {
        @Override
        Running start(Filter filter, HttpServlet servlet) throws Exception {
            Path base = Files.createTempDirectory("tomcat");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context ctx = tomcat.addContext("", base.toString());
            FilterDef def = new FilterDef();
            def.setFilterName("sessions");
            def.setFilter(filter);
            def.setAsyncSupported("true");
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("sessions");
            map.addURLPattern("/*");
            map.setDispatcher(DispatcherType.REQUEST.name());
            map.setDispatcher(DispatcherType.ASYNC.name());
            ctx.addFilterMap(map);
            Wrapper w = Tomcat.addServlet(ctx, "app", servlet);
            w.setAsyncSupported(true);
            ctx.addServletMappingDecoded("/*", "app");
            tomcat.start();
            return new Running(connector.getLocalPort(), () -> {
                tomcat.stop();
                tomcat.destroy();
            });
        }
    };

    abstract Running start(Filter filter, HttpServlet servlet) throws Exception;

    interface Stop {
        void stop() throws Exception;
    }

    record Running(int port, Stop stop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.stop();
        }
    }
}
