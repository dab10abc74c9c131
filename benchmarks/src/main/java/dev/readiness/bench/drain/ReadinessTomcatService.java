package dev.readiness.bench.drain;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.health.tomcat.TomcatDrain;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.io.IOException;
import java.nio.file.Files;

/**
 * "Ours" in the drain benchmark: embedded Tomcat (the server Spring Boot uses) with readiness' drain, the
 * servlet in-flight filter and the Tomcat adapter. {@code GET /}, {@code GET /slow?ms=N}, {@code GET /readyz}.
 * Port from {@code SERVER_PORT}; drain settings from {@code READINESS_DRAIN_*}.
 */
public final class ReadinessTomcatService {

    public static void main(String[] args) throws Exception {
        DrainSettings settings = DrainConfig.from(ReadinessConfig.defaults());
        HealthRegistry registry = HealthRegistry.create();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(settings).build();

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("readiness-bench-tomcat").toString());
        tomcat.setPort(Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "8080")));
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String body;
                switch (req.getRequestURI()) {
                    case "/readyz" -> {
                        ProbeReport r = registry.report(Probe.READINESS);
                        resp.setStatus(r.httpStatus());
                        resp.setContentType("application/json");
                        resp.getOutputStream().write(r.json());
                        return;
                    }
                    case "/slow" -> {
                        long ms = Long.parseLong(req.getParameter("ms") == null ? "100" : req.getParameter("ms"));
                        try {
                            Thread.sleep(ms);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        body = "slept " + ms;
                    }
                    default -> body = "hello";
                }
                resp.setContentType("text/plain");
                resp.getWriter().write(body);
            }
        });
        ctx.addServletMappingDecoded("/*", "app");
        FilterDef fd = new FilterDef();
        fd.setFilterName("in-flight");
        fd.setFilter(new InFlightFilter(drain.tracker()));
        fd.setAsyncSupported("true");
        ctx.addFilterDef(fd);
        FilterMap fm = new FilterMap();
        fm.setFilterName("in-flight");
        fm.addURLPattern("/*");
        ctx.addFilterMap(fm);
        TomcatDrain.install(tomcat, drain);
        tomcat.start();
        registry.start();
        registry.markStarted();
        drain.installShutdownHook();
        System.out.println("LISTENING port=" + tomcat.getConnector().getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
        Thread.currentThread().join(); // the drain halts the process
    }
}
