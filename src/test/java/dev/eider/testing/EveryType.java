package dev.eider.testing;

import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.util.List;

/** A table with a column of every value type (no file column), for tests of encodings. */
public final class EveryType {

    /** id int64 (key), name string, score float64, ok boolean, at timestamp, day date, amount decimal(12,2), attrs json. */
    public static final TableDef EVENTS = new TableDef(
            "events",
            List.of(
                    new Column("id", ColumnType.INT64, false),
                    new Column("name", ColumnType.STRING, true),
                    new Column("score", ColumnType.parse("float64"), true),
                    new Column("ok", ColumnType.parse("boolean"), true),
                    new Column("at", ColumnType.parse("timestamp"), true),
                    new Column("day", ColumnType.parse("date"), true),
                    new Column("amount", ColumnType.parse("decimal(12,2)"), true),
                    new Column("attrs", ColumnType.parse("json"), true)),
            "id");

    private EveryType() {}
}
