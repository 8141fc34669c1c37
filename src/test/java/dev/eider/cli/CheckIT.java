package dev.eider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.Main;
import dev.eider.testing.ChildEider;
import dev.eider.testing.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eider check}: one line per check naming the setting, exit code 1 on any failure. */
class CheckIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    @Test
    void check_folderTarget_allOkAndNothingLeftBehind() throws Exception {
        Path exports = dir.resolve("exports");

        int code = check(config(""), "--export-target", "file:" + exports);

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString().lines())
                .hasSize(3)
                .allMatch(l -> l.startsWith("ok "))
                .anyMatch(l -> l.contains("configuration") && l.contains("1 table(s)"))
                .anyMatch(l -> l.contains("storage.path") && l.contains("does not exist yet"))
                .anyMatch(l -> l.contains("export.target") && l.contains("wrote, read back and deleted"));
        assertThat(Files.exists(dir.resolve("data.db")))
                .as("check creates no database")
                .isFalse();
        assertThat(exports).as("the target folder the probe made goes with it").doesNotExist();
    }

    @Test
    void check_folderTargetThatExists_keepsItAndWhatIsInIt() throws Exception {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path kept = Files.writeString(exports.resolve("kept.txt"), "x");

        assertThat(check(config(""), "--export-target", "file:" + exports))
                .as(out.toString())
                .isZero();

        try (var left = Files.walk(exports)) {
            assertThat(left).containsExactlyInAnyOrder(exports, kept);
        }
    }

    @Test
    void check_dataInAMissingFolder_failsSayingSoAndCreatesNothing() throws Exception {
        // New-user trial: the target's probe created the export work folder (beside the database file),
        // and with it the folder the line above had just reported missing.
        Path missing = dir.resolve("missing/sub");
        Path exports = dir.resolve("exports");
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute(
                "check",
                "--config",
                config("export: {}\n").toString(), // the work folder's default: beside the database file
                "--data=" + missing.resolve("x.db"),
                "--export-target",
                "file:" + exports);

        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("(?m)^FAIL +storage\\.path .*missing");
        assertThat(dir.resolve("missing")).as("check changes nothing").doesNotExist();
        assertThat(exports).as("nothing left at the target").doesNotExist();
    }

    @Test
    void check_workFolderThatCannotBeMade_failsUnderItsOwnSetting() throws Exception {
        // Second new-user trial (round twelve): a data folder that cannot be written failed "export.target", which
        // was fine; the folder for Parquet beside the database (export.work_dir's default) was what could not be made.
        Path blocked = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path exports = dir.resolve("exports");

        int code = check(
                config("export: {work_dir: \"" + blocked.resolve("work") + "\"}\n"),
                "--export-target",
                "file:" + exports);

        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("(?m)^FAIL +export\\.work_dir +cannot write in export\\.work_dir ");
        // The target is checked all the same (a trial found its line missing): this one works.
        assertThat(out.toString()).containsPattern("(?m)^ok +export\\.target +.*wrote, read back and deleted");
        assertThat(exports).as("nothing left at the target").doesNotExist();
    }

    @Test
    void check_workFolderAndTargetBothUnwritable_failsBoth() throws Exception {
        Path blocked = Files.writeString(dir.resolve("a-file"), "not a folder");

        int code = check(
                config("export: {work_dir: \"" + blocked.resolve("work") + "\"}\n"),
                "--export-target",
                "file:" + blocked.resolve("exports"));

        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("(?m)^FAIL +export\\.work_dir ");
        assertThat(out.toString()).containsPattern("(?m)^FAIL +export\\.target ");
    }

    @Test
    void check_targetThatIsAFile_failsSayingSo() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

        assertThat(check(config(""), "--export-target", "file:" + file)).isEqualTo(1);

        // A trial read only the path.
        assertThat(out.toString())
                .containsPattern("(?m)^FAIL +export\\.target +cannot write a probe object in file:.*: a file is where a"
                        + " folder must be: .*a-file");
    }

    @Test
    void check_s3Proxy_ok() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            int code = check(s3Config(s3.endpoint()), "--export-target", "s3://bucket/eider");

            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).containsPattern("(?m)^ok +export\\.target +s3://bucket/eider: wrote, read back");
            assertThat(s3.client().listObjectsV2(b -> b.bucket("bucket")).contents())
                    .isEmpty();
        }
    }

    @Test
    void check_missingBucket_failsNamingTheSetting() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            int code = check(s3Config(s3.endpoint()), "--export-target", "s3://nope/eider");

            assertThat(code).isEqualTo(1);
            assertThat(out.toString())
                    .containsPattern("(?m)^FAIL +export\\.target +cannot write a probe object in s3://nope/eider: "
                            + "the bucket does not exist at http://127\\.0\\.0\\.1:\\d+; check export\\.target$");
        }
    }

    @Test
    void check_wrongSecretKey_failsInPlainWords() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            System.setProperty("aws.secretAccessKey", "wrong");
            try {
                assertThat(check(s3Config(s3.endpoint()), "--export-target", "s3://bucket/eider"))
                        .isEqualTo(1);
            } finally {
                System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            }
            String failed = out.toString()
                    .lines()
                    .filter(l -> l.startsWith("FAIL"))
                    .findFirst()
                    .orElseThrow();
            assertThat(failed).contains("check AWS_SECRET_ACCESS_KEY").hasSizeLessThan(300);
        }
    }

    @Test
    void check_nothingListening_failsNamingTheEndpoint() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int code = check(s3Config("http://127.0.0.1:" + closed), "--export-target", "s3://bucket/eider");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .containsPattern("(?m)^FAIL +export\\.target +.*cannot connect to http://127\\.0\\.0\\.1:" + closed
                        + ".*check export\\.s3\\.endpoint$");
    }

    @Test
    void check_fileColumnOnPostgres_exitsTwoAsServeDoes() throws Exception {
        // New-user trial: check said "ok" for a configuration serve refuses at start.
        String tables = "tables:\n  - name: docs\n    primary_key: id\n    columns:\n"
                + "      - {name: id, type: int64}\n      - {name: pdf, type: file, nullable: true}\n";

        int code = check(config(tables), "--database", "jdbc:postgresql://127.0.0.1:1/nowhere");

        assertThat(code).as(out.toString()).isEqualTo(2);
        assertThat(out.toString())
                .startsWith("FAIL  configuration")
                .containsPattern("'pdf' of table 'docs' is of type file")
                .doesNotContainPattern("(?m)^(ok|FAIL) +storage\\.database");
    }

    @Test
    void check_dataFileInAFolderThatCannotBeWritten_fails() throws Exception {
        // New-user trial: the database opens read-only, so check passed a read-only filesystem that serve refuses.
        Path data = dir.resolve("ro/data.db");
        Files.createDirectories(data.getParent());
        java.sql.DriverManager.getConnection("jdbc:duckdb:" + data).close(); // an empty DuckDB file
        assertThat(checkData(data)).as(out.toString()).isZero();
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(data.getParent())) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    readOnly.holds(), "neither a read-only mount (root) nor a read-only folder (others) could be made");
            out.getBuffer().setLength(0);

            int code = checkData(data);

            assertThat(code).as(out.toString()).isEqualTo(1);
            assertThat(out.toString()).containsPattern("(?m)^FAIL +storage\\.path .*cannot be written");
        }
    }

    /**
     * A folder made read-only: by a read-only bind mount when running as root (who writes in any folder, as on
     * a read-only filesystem they cannot), else by its permissions.
     */
    private record ReadOnlyFolder(Path folder, boolean mounted) implements AutoCloseable {

        static ReadOnlyFolder of(Path folder) throws java.io.IOException {
            if ("root".equals(System.getProperty("user.name"))) {
                boolean mounted = run("mount", "--bind", folder.toString(), folder.toString());
                if (mounted && !run("mount", "-o", "remount,bind,ro", folder.toString())) {
                    run("umount", folder.toString());
                    mounted = false;
                }
                return new ReadOnlyFolder(folder, mounted);
            }
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            return new ReadOnlyFolder(folder, false);
        }

        boolean holds() {
            try {
                Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
                return false;
            } catch (java.io.IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            if (mounted) {
                run("umount", folder.toString());
            } else {
                Files.setPosixFilePermissions(
                        folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        private static boolean run(String... command) throws java.io.IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            try {
                return p.waitFor() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Test
    void check_badConfiguration_exitsTwoNamingTheSetting() throws Exception {
        int code = check(config("export: {s3: {part_size: 1MB}}\n"));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).startsWith("FAIL  configuration").contains("export.s3.part_size");
    }

    /**
     * A part is held in memory while it goes up: under a small heap a large part ran every export out of memory
     * (a new-user trial, with the launcher's 160MB heap and 128MB parts), which no check said beforehand.
     */
    @Test
    void check_partLargerThanAQuarterOfTheHeap_exitsTwoNamingTheSettingAndTheHeap() throws Exception {
        Path config = config("export: {work_dir: \"" + dir.resolve("work") + "\", s3: {part_size: 128MB}}\n");

        // The child runs with a 256MB heap: a quarter is 64MB.
        ChildEider.Finished run =
                ChildEider.runForOutput(dir, Map.of(), Duration.ofSeconds(60), "check", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("export.s3.part_size: 128MB is more than a quarter of the Java heap")
                .contains("-Xmx in EIDER_JAVA_OPTS");
    }

    @Test
    void check_targetThatIsNeitherS3NorAFolder_exitsTwoNamingTheSetting() throws Exception {
        int code = check(config("export: {target: 'ftp://x'}\n"));

        assertThat(code).isEqualTo(2);
        // A configuration error like any other (a trial saw "ok configuration" above it), before the database.
        assertThat(out.toString())
                .startsWith("FAIL  configuration")
                .contains("export.target: 'ftp://x' is neither s3://")
                .doesNotContain("storage.path");
    }

    @Test
    void checkAndExport_whileAnotherEiderServesTheFile_nameThatProcess() throws Exception {
        Map<String, String> env = Map.of("EIDER_EXPORT_TARGET", "file:" + dir.resolve("exports"));
        try (ChildEider serving = ChildEider.serve(dir, env)) {
            Path data = dir.resolve("data.db");
            String expected = "Eider (PID " + serving.pid() + ") is already serving " + data
                    + "; stop it or use POST /v1/exports";

            assertThat(check(config(""))).isEqualTo(1);
            assertThat(out.toString()).containsPattern("(?m)^FAIL +storage\\.path +\\Q" + expected + "\\E$");

            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("export", "--config", config("").toString(), "--data", data.toString()))
                    .isEqualTo(1);
            assertThat(err.toString()).isEqualTo("eider: " + expected + System.lineSeparator());
        }
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(
                dir.resolve("check.yaml"),
                yaml + (yaml.contains("export:") ? "" : "export: {work_dir: \"" + dir.resolve("work") + "\"}\n"));
    }

    private Path s3Config(String endpoint) throws Exception {
        return config("export: {work_dir: \"" + dir.resolve("work") + "\", s3: {endpoint: \"" + endpoint
                + "\", path_style: true}}\n");
    }

    private int checkData(Path data) throws Exception {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        return cli.execute(
                "check",
                "--config",
                config("").toString(),
                "--data=" + data,
                "--export-target",
                "file:" + dir.resolve("exports"));
    }

    private int check(Path config, String... more) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        String[] args = new String[4 + more.length];
        args[0] = "check";
        args[1] = "--config";
        args[2] = config.toString();
        args[3] = "--data=" + dir.resolve("data.db");
        System.arraycopy(more, 0, args, 4, more.length);
        return cli.execute(args);
    }
}
