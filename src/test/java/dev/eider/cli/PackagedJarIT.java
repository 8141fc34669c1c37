package dev.eider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.ChildEider;
import dev.eider.testing.ChildEider.Finished;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator runs it: version from the manifest, help, a bad setting refused. */
class PackagedJarIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void version_isTheProjectVersion() {
        Finished f = ChildEider.runForOutput(dir, Map.of(), TIMEOUT, "--version");

        assertThat(f.exitCode()).isZero();
        assertThat(f.output().strip()).isEqualTo("eider 0.1.0");
    }

    @Test
    void help_describesTheCommands() {
        Finished f = ChildEider.runForOutput(dir, Map.of(), TIMEOUT, "--help");

        assertThat(f.exitCode()).isZero();
        assertThat(f.output()).contains("Usage: eider").contains("serve");
    }

    @Test
    void serve_dataFileInUseByAnotherEider_exitsNonZeroSayingSo() {
        try (ChildEider first = ChildEider.serve(dir, Map.of())) {
            Finished second = ChildEider.runForOutput(dir, Map.of(), TIMEOUT, "serve", "--port", "0");

            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.output().strip())
                    .isEqualTo("eider: Eider (PID " + first.pid()
                            + ") is already serving data.db; stop it or use POST /v1/exports");
            assertThat(first.http().get("/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @EnabledOnOs(
            value = OS.LINUX,
            architectures = {"amd64", "x86_64"})
    void serve_jarCopiedAloneToAnotherFolder_runsAndUnpacksDuckDbOnceBesideIt() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path jar = Files.copy(
                Path.of(System.getProperty("eider.jar", "target/eider.jar")), elsewhere.resolve("eider.jar"));
        Path work = Files.createDirectories(dir.resolve("work"));

        try (ChildEider eider = ChildEider.serve(jar, work, Map.of())) {
            assertThat(eider.http()
                            .post("/record", "{\"id\": 1, \"value\": \"anywhere\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(eider.http().get("/v1/tables/records/records/1").body()).contains("anywhere");
            assertThat(eider.log()).contains("event=native_library_unpacked");
        }
        try (var files = Files.list(elsewhere)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the jar and this platform's DuckDB library")
                    .containsExactlyInAnyOrder("eider.jar", "libduckdb_java.so_linux_amd64");
        }

        try (ChildEider again = ChildEider.serve(jar, work, Map.of())) {
            assertThat(again.http().get("/v1/tables/records/records/1").body()).contains("anywhere");
            assertThat(again.log()).doesNotContain("native_library_unpacked");
        }
        // DuckDB's driver would have copied its library into the child's temporary folder at each start.
        try (var files = Files.list(work.resolve(".tmp"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.startsWith("libduckdb_java"));
        }
    }

    @Test
    void serve_badEnvironmentSetting_exitsNonZeroNamingIt() {
        Finished f = ChildEider.runForOutput(dir, Map.of("EIDER_PORT", "eighty"), TIMEOUT, "serve");

        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.output()).contains("eider: server.port: 'eighty' is not a whole number");
    }
}
