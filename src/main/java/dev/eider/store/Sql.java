package dev.eider.store;

import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.util.stream.Collectors;

/** Names and column lists of the tables Eider keeps for each declared table. */
final class Sql {

    /** Hidden columns every stored table carries after the declared ones. */
    static final String SEQ = "_seq";

    static final String DELETED = "_deleted";

    /** Pending deletions of file objects: the outbox the files worker drains. */
    static final String FILE_OUTBOX = "_eider_file_outbox";

    private Sql() {}

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Preimages: the versions of rows an open export still needs after the writer replaced them. */
    static String preimages(TableDef t) {
        return quote("_eider_pre_" + t.name());
    }

    /** The writer's staging table for a table's small requests. */
    static String writerStage(TableDef t) {
        return quote("_eider_stage_w_" + t.name());
    }

    static String columns(TableDef t) {
        return t.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** The declared columns followed by the hidden ones, as every stored table holds them. */
    static String storedColumns(TableDef t) {
        return columns(t) + ", _seq, _deleted";
    }

    /** {@link #storedColumns(TableDef)} qualified by a table alias. */
    static String storedColumns(TableDef t, String alias) {
        return t.columns().stream().map(c -> alias + "." + quote(c.name())).collect(Collectors.joining(", ")) + ", "
                + alias + "._seq, " + alias + "._deleted";
    }

    static String key(TableDef t) {
        return quote(t.primaryKey());
    }

    static String columnDefinitions(TableDef t) {
        return t.columns().stream().map(Sql::definition).collect(Collectors.joining(", "));
    }

    static String definition(Column c) {
        // Every column is nullable in the database: tombstones carry only their key.
        return quote(c.name()) + " " + c.type().sqlType();
    }
}
