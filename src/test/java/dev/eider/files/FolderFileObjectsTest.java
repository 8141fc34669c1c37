package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder's listing: pages in the byte order of the full keys, as S3 lists, which the sweeper relies on. */
class FolderFileObjectsTest {

    @TempDir
    Path root;

    @Test
    void list_pagesInFullKeyOrder_notInFolderOrder() throws Exception {
        // Per folder name "docs" < "docs-2", but as keys "docs-2/…" < "docs/…" ('-' sorts before '/').
        List<String> keys = List.of("docs/pdf/b", "docs/pdf/a", "docs-2/pdf/c", "docs.txt", "_claim.json", "z");
        for (String k : keys) {
            Files.createDirectories(root.resolve(k).getParent());
            Files.write(root.resolve(k), new byte[] {1});
        }

        List<List<String>> pages = new ArrayList<>();
        Iterator<List<FileObjects.Stored>> it = new FolderFileObjects(root).list(4);
        while (it.hasNext()) {
            pages.add(it.next().stream().map(FileObjects.Stored::key).toList());
        }

        assertThat(pages)
                .containsExactly(
                        List.of("_claim.json", "docs-2/pdf/c", "docs.txt", "docs/pdf/a"), List.of("docs/pdf/b", "z"));
        assertThat(pages.stream().flatMap(List::stream).toList()).isSorted();
    }

    @Test
    void list_ofAMissingFolder_hasNoPages() {
        assertThat(new FolderFileObjects(root.resolve("not-yet")).list(10).hasNext())
                .isFalse();
    }
}
