/**
 * The engine on PostgreSQL: {@link io.agentbilling.jdbc.PostgresBilling} (the one wiring, for embedders and the
 * server), the unit of work on Jdbi ({@link io.agentbilling.jdbc.JdbiTransactions}), and data sources and migrations
 * ({@code io.agentbilling.jdbc.setup}). The stores ({@code io.agentbilling.jdbc.internal}) are not API.
 */
module io.agentbilling.jdbc {
    requires transitive io.agentbilling.core;
    requires transitive java.sql;
    requires transitive org.jdbi.v3.core;
    requires transitive com.zaxxer.hikari;
    requires org.jdbi.v3.sqlobject;
    requires org.jdbi.v3.postgres;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    // Jdbi's core is an automatic module and cannot require its own dependency; without this it is not resolved on
    // the module path.
    requires io.leangen.geantyref;
    // Flyway declares no module name; these are the ones Java derives from its jars' names. The PostgreSQL support
    // is found by Flyway through the service loader, so it must be resolved too.
    requires flyway.core;
    requires flyway.database.postgresql;

    exports io.agentbilling.jdbc;
    exports io.agentbilling.jdbc.setup;
}
