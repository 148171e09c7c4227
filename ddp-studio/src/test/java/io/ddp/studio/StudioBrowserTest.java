package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ddp.spark.cli.DdpCommand;
import io.ddp.testing.SharedSpark;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * DDP Studio in a real headless browser (Debian's chromium and chromedriver, which .ci/run installs):
 * what a user does, end to end, and the performance targets, measured by the browser. Screenshots go
 * to docs/images (used by docs/studio.md).
 */
class StudioBrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("ddp.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("ddp.chromedriver", "/usr/bin/chromedriver"));
  static final Path IMAGES = Path.of("..", "docs", "images").toAbsolutePath().normalize();

  static WebDriver browser;
  static Path profile;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI needs " + CHROMIUM + " and " + CHROMEDRIVER + ": .ci/run installs them (apt-get install -y chromium chromium-driver)");
    }
    assumeTrue(installed, "no " + CHROMIUM + " and " + CHROMEDRIVER + " here: apt-get install -y chromium chromium-driver to run the browser tests");
    SharedSpark.session();
    profile = Files.createTempDirectory("ddp-studio-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--user-data-dir=" + profile, "--window-size=1400,900", "--force-device-scale-factor=1");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
  }

  private long startedMillis;

  private Studio open(Path file) throws Exception {
    long t0 = System.nanoTime();
    Studio studio = new Studio(file, Map.of(), 0, null, dir.resolve("state").toString());
    String url = studio.start();
    startedMillis = (System.nanoTime() - t0) / 1_000_000;
    browser.get(url);
    awaitReady();
    idle();
    return studio;
  }

  private void awaitReady() {
    new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> "true".equals(js("return document.body.dataset.ready || ''")));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void await(String what, String condition) {
    try {
      new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> Boolean.TRUE.equals(js("return !!(" + condition + ")")));
    } catch (RuntimeException e) {
      throw new AssertionError("waited for " + what + " (" + condition + "); status: " + js("return document.getElementById('status').textContent"), e);
    }
  }

  private void screenshot(String name) throws Exception {
    Files.createDirectories(IMAGES);
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, IMAGES.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits until the page has checked the last edit and its schema checks answered (the form is then stable). */
  private void idle() {
    await("an idle studio", "document.body.dataset.checking !== 'true' && document.body.dataset.contracts !== 'pending'");
  }

  private WebElement node(String id) {
    return browser.findElement(By.cssSelector(".node[data-id='" + id + "']"));
  }

  /** As a user replaces a field's text: select all, type, leave the field (which fires 'change'). */
  private void type(WebElement input, String text) {
    input.click();
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.TAB);
  }

  private Path writePipeline() throws Exception {
    Path file = dir.resolve("pipelines/words.json");
    Files.createDirectories(file.getParent().resolve("data"));
    Files.writeString(file, StudioTest.PIPELINE);
    Files.writeString(file.getParent().resolve("data/words.csv"), "word,n\nalpha,1\nbeta,2\ngamma,3\n<img src=x onerror=alert(1)>,4\n");
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    return file;
  }

  @Test
  void designCheckSaveGenerateAndRunAsAUserWould() throws Exception {
    Path file = writePipeline();
    try (Studio studio = open(file)) {
      await("the schema checks", "document.body.dataset.contracts === 'checked'");
      assertThat(browser.findElements(By.cssSelector(".node"))).hasSize(5); // 3 datasets, 2 pipes
      assertThat(js("return [...document.querySelectorAll('.edge-label')].map(t => t.textContent).join('|')").toString())
          .as("the schema flowing on each edge").contains("word, n");
      screenshot("studio-overview.png");

      // Add a pipe from the catalog reading the selected dataset, and give it a query with a wrong column.
      node("Big").click();
      browser.findElement(By.cssSelector("#side nav button[data-tab=catalog]")).click();
      WebElement search = browser.findElement(By.id("catalog-search"));
      search.sendKeys("sql");
      browser.findElement(By.cssSelector(".entry[data-type=sql] .add-pipe")).click();
      await("the new pipe", "document.querySelector(\".node[data-id='#3']\")");
      idle();
      type(browser.findElement(By.cssSelector("#tab-selected input[name=query]")), "SELECT upper(wrd) AS loud FROM Big");
      await("a contract error on the new pipe", "document.querySelector(\".node[data-id='#3']\").classList.contains('has-errors')");
      browser.findElement(By.cssSelector("#side nav button[data-tab=problems]")).click();
      await("the schema error in the list", "document.getElementById('tab-problems').textContent.includes('wrd')");
      await("the schema error on the new pipe", "document.querySelector(\".node[data-id='#3']\").classList.contains('has-errors')");
      assertThat(browser.findElement(By.id("tab-problems")).getText()).contains("line ");
      screenshot("studio-contract-error.png");

      // Fix it: the error goes, the new edge carries the derived schema; save; 'ddp validate' accepts the file.
      node("#3").click();
      idle();
      type(browser.findElement(By.cssSelector("#tab-selected input[name=query]")), "SELECT upper(word) AS loud FROM Big");
      await("no errors", "document.body.dataset.errors === '0' && document.body.dataset.contracts === 'checked'"
          + " && !document.querySelector('.node.has-errors')");
      browser.findElement(By.id("save")).click();
      await("saved", "document.getElementById('status').textContent === 'saved' || document.getElementById('save').disabled");
      assertThat(Files.readString(file)).contains("SELECT upper(word) AS loud FROM Big").contains("${pipeline.dir}/data/words.csv");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = DdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("validate", file.toString());
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("OK: 4 datasets, 3 pipes");

      // Run it: statuses reach succeeded on every pipe; metrics and the run's output are shown.
      browser.findElement(By.id("open-run")).click();
      browser.findElement(By.id("run")).click();
      await("the run to end", "document.body.dataset.run === 'succeeded'");
      await("every pipe green", "document.querySelectorAll('.node.pipe.succeeded').length === 3");
      assertThat(browser.findElement(By.id("run-pipes")).getText()).contains("succeeded");
      await("the declared metric", "document.getElementById('run-metrics') && document.getElementById('run-metrics').textContent.includes('words')");
      screenshot("studio-run.png");

      // Preview the sink the run wrote: user strings arrive as text, never as HTML.
      node("Out").click();
      browser.findElement(By.id("preview-button")).click();
      await("the preview", "document.querySelector('table.preview')");
      assertThat(browser.findElement(By.cssSelector("table.preview")).getText()).contains("<IMG SRC=X ONERROR=ALERT(1)>");
      assertThat(browser.findElements(By.cssSelector("table.preview img"))).isEmpty();

      // A pipe whose class does not exist yet: generate its code, which compiles.
      node("#3").click();
      idle();
      type(browser.findElement(By.cssSelector("#tab-selected input[name=transformerType]")), "com.acme.pipes.Shout");
      await("the generate button", "document.getElementById('generate')");
      browser.findElement(By.id("generate")).click();
      await("the generated files", "document.querySelector('#generated li')");
      Path pipe = dir.resolve("src/main/java/com/acme/pipes/Shout.java");
      Path test = dir.resolve("src/test/java/com/acme/pipes/ShoutTest.java");
      assertThat(pipe).exists();
      assertThat(test).exists();
      compile(List.of(pipe, test));
    }
  }

  @Test
  void userStringsAreNeverMarkupAndTheTokenIsRequired() throws Exception {
    String xss = "<img src=x onerror=\\\"window.__xss=1\\\">";
    Path file = dir.resolve("xss.json");
    Files.writeString(file, "{\"name\": \"x\", \"data\": [{\"dataId\": \"" + xss + "\"}, {\"dataId\": \"B\"}],"
        + " \"transformers\": [{\"name\": \"" + xss + "\", \"inputDataId\": [\"" + xss + "\"], \"transformerType\": \"" + xss
        + "\", \"outputDataId\": \"B\"}]}");
    try (Studio studio = open(file)) {
      String labels = js("return [...document.querySelectorAll('.node text')].map(t => t.textContent).join('|')").toString();
      assertThat(labels).contains("<img src=x");
      node("#1").click();
      browser.findElement(By.cssSelector("#side nav button[data-tab=problems]")).click();
      assertThat(browser.findElements(By.cssSelector("img"))).as("no element made of a user string").isEmpty();
      assertThat(js("return window.__xss === undefined")).isEqualTo(true);
      assertThat(js("return document.cookie")).as("the token cookie is HttpOnly").isEqualTo("");

      browser.manage().deleteAllCookies();
      browser.get("http://127.0.0.1:" + studio.port() + "/");
      assertThat(browser.findElement(By.tagName("body")).getText()).contains("Unauthorized");
      browser.get("http://127.0.0.1:" + studio.port() + "/api/state");
      assertThat(browser.findElement(By.tagName("body")).getText()).contains("Unauthorized").doesNotContain("pipeline");
    }
  }

  @Test
  void largePipelinesOpenQuicklyAndChecksAnswerFast() throws Exception {
    Path big = dir.resolve("big.json");
    Files.writeString(big, chain(500));
    try (Studio studio = open(big)) {
      double ready = ((Number) js("return performance.getEntriesByName('studio:ready')[0].startTime")).doubleValue();
      System.out.printf(Locale.ROOT, "studio: a 500-pipe pipeline: the studio started in %d ms; the page opened and laid it out in %.0f ms"
          + " (from navigation start): %s%n", startedMillis, ready,
          js("const r = n => { const e = performance.getEntriesByType('resource').find(x => x.name.includes(n)); return e ? Math.round(e.duration) : -1; };"
              + " const m = performance.getEntriesByName('studio:render'); return 'page ' + Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)"
              + " + ' ms, /api/state ' + r('/api/state') + ' ms (server check and layout ' + Math.round(state.view.micros / 1000) + ' ms), /api/catalog '"
              + " + r('/api/catalog') + ' ms, drawing ' + Math.round(m[0].duration) + ' ms'"));
      assertThat(ready).as("ms from navigation to the laid-out 500-pipe DAG").isLessThan(2000);
      assertThat(browser.findElements(By.cssSelector(".node.pipe"))).hasSize(500);
      screenshot("studio-500.png");
    }
    Path medium = dir.resolve("medium.json");
    Files.writeString(medium, chain(100));
    try (Studio studio = open(medium)) {
      List<Double> rounds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        idle();
        js("performance.clearMeasures('studio:check')");
        node("#" + (50 + i)).click();
        type(browser.findElement(By.cssSelector("#tab-selected input[name=name]")), "renamed" + i);
        await("the check", "performance.getEntriesByName('studio:check').length > 0");
        rounds.add(((Number) js("return performance.getEntriesByName('studio:check')[0].duration")).doubleValue());
        System.out.printf(Locale.ROOT, "studio: check %d: %s%n", i, js("return Math.round(performance.getEntriesByName('studio:check')[0].duration)"
            + " + ' ms, of which the server ' + Math.round(state.view.micros / 1000) + ' ms, drawing '"
            + " + Math.round(performance.getEntriesByName('studio:render').slice(-1)[0].duration) + ' ms'"));
      }
      rounds.sort(null);
      System.out.printf(Locale.ROOT, "studio: validation round trips after an edit of a 100-pipe pipeline: %s ms (median %.0f)%n", rounds,
          rounds.get(2));
      assertThat(rounds.get(2)).as("median ms from the check request to the redrawn DAG").isLessThan(300);
    }
  }

  /** A pipeline of n sql pipes in a chain with a side branch every tenth pipe (fan-in and fan-out). */
  static String chain(int n) {
    StringBuilder data = new StringBuilder("{\"dataId\": \"D0\", \"location\": \"in.csv\", \"format\": \"csv\", \"schema\": \"id INT, v STRING\"}");
    StringBuilder pipes = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      data.append(",\n  {\"dataId\": \"D").append(i).append("\"").append(i == n ? ", \"location\": \"out\", \"format\": \"parquet\"" : "")
          .append("}");
      String in = i % 10 == 0 && i > 10 ? "[\"D" + (i - 1) + "\", \"D" + (i - 10) + "\"]" : "[\"D" + (i - 1) + "\"]";
      String query = i % 10 == 0 && i > 10 ? "SELECT * FROM D" + (i - 1) + " UNION ALL SELECT * FROM D" + (i - 10)
          : "SELECT id, v FROM D" + (i - 1);
      pipes.append(i == 1 ? "" : ",\n  ").append("{\"name\": \"p").append(i).append("\", \"inputDataId\": ").append(in)
          .append(", \"transformerType\": \"sql\", \"outputDataId\": \"D").append(i).append("\", \"params\": {\"query\": \"")
          .append(query).append("\"}}");
    }
    return "{\"name\": \"chain" + n + "\",\n \"data\": [\n  " + data + "],\n \"transformers\": [\n  " + pipes + "]}\n";
  }

  private void compile(List<Path> sources) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = Files.createDirectories(dir.resolve("target/classes"));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(null, files, diagnostics, List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
          "-proc:none"), null, files.getJavaFileObjectsFromPaths(sources)).call();
      List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList();
      assertThat(errors).isEmpty();
      assertThat(ok).isTrue();
    }
    assertThat(new File(out.toFile(), "com/acme/pipes/Shout.class")).exists();
  }
}
