package dev.readiness.spring.boot.autoconfigure.dependencies;

import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
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
 * others. A DataSource that is not HikariCP (or does not unwrap to it) is left to Boot's indicator.
 */
final class DataSourceChecks implements CheckContributor {

    private static final Logger log = LoggerFactory.getLogger(DataSourceChecks.class);

    private final ListableBeanFactory beans;
    private List<CheckRegistration> checks;

    DataSourceChecks(ListableBeanFactory beans) {
        this.beans = beans;
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
                out.add(CheckRegistration.readiness(checkName(e.getKey()), HikariPoolCheck.of(hikari)));
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
