package dev.eider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process: help, version, and configuration errors that name the setting. */
class CommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void version_printsTheVersionAndExitsZero() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("eider ");
    }

    @Test
    void help_listsTheServeCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: eider").contains("serve");
    }

    @Test
    void serveHelp_listsTheFlagsAndTheSettingsTheyOverride() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString())
                .contains("--port")
                .contains("server.port")
                .contains("--data")
                .contains("storage.path")
                .contains("--config");
    }

    @Test
    void helpCommand_printsTheHelpOfTheNamedCommand() {
        assertThat(run("help", "export")).isZero();
        assertThat(out.toString()).contains("Usage: eider export").contains("--table");
    }

    @Test
    void help_summarisesEachCommandInWholeSentences() {
        assertThat(run("help")).isZero();
        assertThat(out.toString())
                .contains("Export every table (or one) now and exit, for cron and CI.")
                .contains("Rebuild an empty database from the newest exported snapshot");
    }

    @Test
    void exportAndRestoreHelp_listNoServerFlags() {
        assertThat(run("export", "--help")).isZero();
        assertThat(run("restore", "--help")).isZero();
        assertThat(out.toString())
                .contains("--data", "--export-target", "--from")
                .doesNotContain("--port", "--host", "--export-every");
    }

    @Test
    void export_serverFlag_isUnknown() {
        assertThat(run("export", "--port", "8000")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--port'");
    }

    @Test
    void restore_fromWithoutScheme_exitsTwoNamingTheFlag() {
        assertThat(run("restore", "--data", dir.resolve("data.db").toString(), "--from", "/backups"))
                .isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("eider: --from: '/backups' is neither s3://bucket/prefix nor file:/path"
                        + System.lineSeparator());
    }

    @Test
    void export_targetWithoutBucket_exitsTwoNamingTheSetting() {
        assertThat(run("export", "--data", dir.resolve("data.db").toString(), "--export-target", "s3://"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("eider: export.target: 's3://' is not a valid URI");
    }

    @Test
    void serve_targetThatIsNeitherS3NorAFolder_exitsTwoBeforeMakingTheDatabase() {
        // A trial: serve made data.db and its log, replayed it, and only then refused the setting.
        Path data = dir.resolve("data.db");
        assertThat(run("serve", "--data", data.toString(), "--port", "0", "--export-target", "ftp://x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("export.target: 'ftp://x' is neither s3://");
        assertThat(data).doesNotExist();
        assertThat(dir.resolve("data.db.eider-log")).doesNotExist();
    }

    @Test
    void exportAndRestore_badSettingOrFlag_exitTwoBeforeOpeningTheDatabase() {
        // A trial: export replayed the log into data.db, then refused ftp://x; restore ignored it; an unknown
        // table or mode exited 1, the code of a failure rather than of a bad configuration.
        Path data = dir.resolve("data.db");
        assertThat(run("export", "--data", data.toString(), "--export-target", "ftp://x"))
                .isEqualTo(2);
        assertThat(run("export", "--data", data.toString(), "--table", "nope")).isEqualTo(2);
        assertThat(run("export", "--data", data.toString(), "--mode", "bogus")).isEqualTo(2);
        assertThat(run("export", "--data", data.toString(), "--export-target", "file://elsewhere/tmp/x"))
                .isEqualTo(2);
        assertThat(run(
                        "restore",
                        "--data",
                        data.toString(),
                        "--from",
                        "file:" + dir.resolve("exports"),
                        "--export-target",
                        "ftp://x"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("export.target: 'ftp://x' is neither s3://")
                .contains("--table: table 'nope' is not declared")
                .contains("--mode: unknown export mode 'bogus'")
                .contains("names a host (elsewhere)");
        assertThat(data).doesNotExist();
        assertThat(dir.resolve("data.db.eider-log")).doesNotExist();
    }

    @Test
    void noCommand_exitsNonZeroWithUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required subcommand").contains("serve");
    }

    @Test
    void serve_badFlagValue_exitsTwoNamingTheSetting() {
        assertThat(run("serve", "--port", "99999")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("eider: server.port: 99999 is outside 0..65535" + System.lineSeparator());
    }

    @Test
    void serve_badConfigFile_exitsTwoNamingTheSetting() throws IOException {
        Path file = Files.writeString(dir.resolve("eider.yaml"), "server:\n  prot: 8000\n");

        assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("eider: server.prot: unknown setting");
    }

    @Test
    void serve_dataFileInMissingFolder_exitsOneWithOneLineSayingWhy() {
        Path data = dir.resolve("missing").resolve("data.db");

        assertThat(run("serve", "--port", "0", "--data", data.toString())).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("eider: cannot open DuckDB database " + data + " (storage.path): ")
                .doesNotContain("\tat ");
    }

    @Test
    void serve_unknownFlag_exitsTwoWithUsage() {
        assertThat(run("serve", "--prot", "8000")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--prot'").contains("Usage: eider serve");
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
