package dev.eider.store.sql;

import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.util.stream.Collectors;

/** Identifier quoting, names and column lists of the tables Eider keeps for each declared table, in any SQL dialect. */
public final class Sql {

    /** Hidden columns every stored table carries after the declared ones. */
    public static final String SEQ = "_seq";

    public static final String DELETED = "_deleted";

    /** Pending deletions of file objects: the outbox the files worker drains. */
    public static final String FILE_OUTBOX = "_eider_file_outbox";

    private Sql() {}

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal, as DuckDB and PostgreSQL both read it: the quote doubled, backslashes as they are. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Preimages: the versions of rows an open export still needs after the writer replaced them. */
    public static String preimages(TableDef t) {
        return quote("_eider_pre_" + t.name());
    }

    /** The writer's staging table for a table's small requests. */
    public static String writerStage(TableDef t) {
        return quote("_eider_stage_w_" + t.name());
    }

    /** Where small requests' rows wait, durable but not yet applied, until the writer applies a second's worth at once. */
    public static String gathered(TableDef t) {
        return quote("_eider_gather_" + t.name());
    }

    public static String columns(TableDef t) {
        return t.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** The declared columns followed by the hidden ones, as every stored table holds them. */
    public static String storedColumns(TableDef t) {
        return columns(t) + ", _seq, _deleted";
    }

    /** {@link #storedColumns(TableDef)} qualified by a table alias. */
    public static String storedColumns(TableDef t, String alias) {
        return t.columns().stream().map(c -> alias + "." + quote(c.name())).collect(Collectors.joining(", ")) + ", "
                + alias + "._seq, " + alias + "._deleted";
    }

    public static String key(TableDef t) {
        return quote(t.primaryKey());
    }

    public static String columnDefinitions(TableDef t, SqlDialect dialect) {
        return t.columns().stream().map(c -> definition(c, dialect)).collect(Collectors.joining(", "));
    }

    public static String definition(Column c, SqlDialect dialect) {
        // Every column is nullable in the database: tombstones carry only their key.
        return quote(c.name()) + " " + dialect.type(c.type());
    }
}
