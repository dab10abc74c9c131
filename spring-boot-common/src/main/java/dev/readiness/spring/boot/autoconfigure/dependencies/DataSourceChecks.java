package dev.readiness.spring.boot.autoconfigure.dependencies;

import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A readiness check ({@link HikariPoolCheck}) for every HikariCP {@link DataSource} bean: {@code db} for the bean
 * named {@code dataSource} (Spring Boot's, and the name of Boot's own indicator), {@code db-<bean>} for the
 * others. A DataSource that is not HikariCP (or does not unwrap to it) is left to Boot's indicator. Degraded (not
 * required) unless named in {@code readiness.dependencies.required}: the database is shared by every replica, and a
 * pool exhausted by load would shed that load onto the other replicas.
 */
final class DataSourceChecks implements CheckContributor {

    private static final Logger log = LoggerFactory.getLogger(DataSourceChecks.class);

    private final ListableBeanFactory beans;
    private final CheckOptions defaults;
    private final ReadinessProperties.Dependencies settings;
    private List<CheckRegistration> checks;

    DataSourceChecks(ListableBeanFactory beans, CheckOptions defaults, ReadinessProperties.Dependencies settings) {
        this.beans = beans;
        this.defaults = defaults;
        this.settings = settings;
    }

    @Override
    public synchronized List<CheckRegistration> checks() {
        if (checks == null) {
            List<CheckRegistration> out = new ArrayList<>();
            for (Map.Entry<String, DataSource> e : beans.getBeansOfType(DataSource.class, false, false).entrySet()) {
                HikariDataSource hikari = unwrap(e.getValue());
                if (hikari == null) {
                    log.debug("DataSource '{}' is not HikariCP; not checked by readiness", e.getKey());
                    continue;
                }
                String name = checkName(e.getKey());
                out.add(CheckRegistration.readiness(name, HikariPoolCheck.of(hikari),
                        defaults.toBuilder().required(settings.requires(name)).build()));
            }
            checks = List.copyOf(out);
        }
        return checks;
    }

    static String checkName(String beanName) {
        return "dataSource".equals(beanName) ? "db" : "db-" + beanName;
    }

    private static HikariDataSource unwrap(DataSource ds) {
        if (ds instanceof HikariDataSource h) {
            return h;
        }
        try {
            return ds.isWrapperFor(HikariDataSource.class) ? ds.unwrap(HikariDataSource.class) : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
