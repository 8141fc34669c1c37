package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.Browser;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** {@code /docs} in headless Chromium: Swagger UI renders every operation and can try one out. */
class DocsPageIT {

    @TempDir
    Path dir;

    @Test
    void docs_rendersEveryOperationAndTriesOneOut() {
        try (RunningEider eider = RunningEider.start(dir);
                Browser browser = Browser.start()) {
            int operations = operations(eider);

            browser.open("http://127.0.0.1:" + eider.port() + "/docs");

            List<WebElement> blocks = browser.await(d -> {
                List<WebElement> found = d.findElements(By.cssSelector(".opblock"));
                return found.size() == operations ? found : null;
            });
            assertThat(blocks)
                    .extracting(WebElement::getText)
                    .anySatisfy(t -> assertThat(t).contains("POST").contains("/v1/exports"));
            assertThat(browser.visible(By.cssSelector(".info .title")).getText())
                    .startsWith("Eider");

            browser.visible(By.cssSelector("#operations-operations-live .opblock-summary"))
                    .click();
            browser.visible(By.cssSelector("#operations-operations-live .try-out__btn"))
                    .click();
            browser.visible(By.cssSelector("#operations-operations-live .execute"))
                    .click();
            WebElement answer = browser.visible(By.cssSelector("#operations-operations-live .live-responses-table"));
            assertThat(answer.getText()).contains("200").contains("\"up\"");
            browser.screenshot("docs-page");
        }
    }

    private static int operations(RunningEider eider) {
        int[] count = {0};
        Jsons.parse(eider.http().get("/openapi.json").body()).path("paths").forEach(path -> count[0] += path.size());
        return count[0];
    }
}
