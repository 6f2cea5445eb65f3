package io.portaudit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.lab.LabExtension;
import io.portaudit.store.Store;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium (headless) through Debian's chromedriver, driven by Selenium;
 * never a downloaded browser or driver. Against a store filled by real audits ({@link WebFixture}). A screenshot of
 * each page goes to target/screenshots/. Outside CI a machine without chromium skips with the reason; with CI=true
 * it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";
    static final Path SHOTS = Path.of("target/screenshots");
    /** How long a wait for the page to change may take: ends as soon as it has; generous for a loaded CI machine. */
    static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    static Path db;
    static WebServer server;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        if (!new File(CHROMIUM).canExecute()) LabExtension.cannotRun("chromium is not installed (apt-get install chromium)");
        if (!new File(DRIVER).canExecute()) LabExtension.cannotRun("chromedriver is not installed (apt-get install chromium-driver)");
        db = WebFixture.build(dir);
        server = WebServer.start(new WebServer.Config(WebFixture.location(db), "127.0.0.1:0", null, 2, 100));
        Files.createDirectories(SHOTS);
        // Selenium Manager must not look for (or download) anything: both paths are given
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", DRIVER);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1024",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")), "--no-first-run", "--disable-extensions");
        o.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30)).build();
        try {
            browser = new ChromeDriver(svc, o);
        } catch (RuntimeException e) {
            server.close();
            LabExtension.cannotRun("chromium did not start under chromedriver: " + e.getMessage().lines().findFirst().orElse(""));
        }
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));   // generous: a loaded CI machine
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.quit();
        } finally {
            if (server != null) server.close();
        }
    }

    static void open(String path) {
        browser.get("http://127.0.0.1:" + server.port() + path);
    }

    static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /**
     * A screenshot for people to look at (nothing checks it): tried twice; a renderer too slow to answer on a loaded
     * machine leaves a note in its place instead of failing the test, whose assertions are on the page's text.
     */
    static void shot(String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                return;
            } catch (org.openqa.selenium.TimeoutException e) {
                if (attempt < 2) continue;
                Files.writeString(SHOTS.resolve(name + ".txt"), "no screenshot: " + e.getMessage().lines().findFirst().orElse("") + "\n");
                return;
            }
        }
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @Test
    @Order(1)
    void fleetFilteredByTelnetThenDeviceAuditAndTheDiffOfTwoFirmwareVersions() throws Exception {
        open("/");
        assertThat(browser.getTitle()).isEqualTo("Fleet — portaudit");
        assertThat(text()).contains("6 of 6 devices", "a440", "g3", "pa-nft", "armadillo-440", "v2.0.0");
        assertThat(browser.findElements(By.cssSelector("svg.spark polyline"))).hasSize(6);
        shot("fleet");

        // filter by tcp/23 through the form, as a person would
        browser.findElement(By.name("port")).sendKeys("tcp/23");
        browser.findElement(By.cssSelector("form.filters button")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains("port=tcp%2F23"));
        List<String> names = browser.findElements(By.cssSelector("table.fleet tr[data-device] td:first-child")).stream().map(e -> e.getText()).toList();
        assertThat(names).containsExactlyInAnyOrder("pa-440", "pa-nft", "hostile");
        shot("fleet-tcp-23");

        // the a440 unit, through a search, then its page
        open("/?q=a440");
        browser.findElement(By.linkText("a440")).click();
        assertThat(browser.getTitle()).isEqualTo("a440 — portaudit");
        assertThat(text()).contains("Device a440", "SN440-0001", "Exposure per port", "tcp/23/ipv4", "closed", "Latest audit");
        assertThat(browser.findElements(By.cssSelector("svg.chart circle"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#latest table.ports tr")).size()).isGreaterThan(3);
        shot("device");

        // its first audit (firmware v1.0.0): telnet open, the insecure-protocol finding with evidence
        browser.findElement(By.cssSelector("#timeline tr:last-child td:nth-child(3) a")).click();
        assertThat(text()).contains("firmware v1.0.0", "Ports: firewall × listener × scan", "insecure-protocol", "telnet", "Download:");
        assertThat(browser.findElements(By.cssSelector(".finding[data-id='insecure-protocol'] table tr")).size()).isGreaterThan(1);
        shot("audit");

        // the raw captures it was made from: the netstat listing, opened from the audit page, its text on a page of its own
        assertThat(text()).contains("What it was made from", "440-iptables-L.txt", "440-nmap.txt", "scan.nmap.xml");
        browser.findElement(By.linkText("440-netstat-a.txt")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains("/capture/440-netstat-a.txt/view"));
        assertThat(js("return document.getElementById('capture-text').textContent").toString()).isEqualTo(
                java.nio.file.Files.readString(Path.of(WebFixture.SEED + "440-netstat-a.txt")));
        assertThat(browser.findElement(By.id("download")).getAttribute("href")).endsWith("/capture/440-netstat-a.txt");
        shot("capture");
        browser.navigate().back();

        // the diff between the two firmware versions, picked on the device page
        browser.navigate().back();
        browser.findElement(By.cssSelector("form.diffpick button")).click();
        assertThat(browser.getTitle()).isEqualTo("Diff — portaudit");
        String diff = text();
        assertThat(diff).contains("different", "tcp/23/ipv4", "gone", "tcp/22/ipv4", "new");
        assertThat(browser.findElements(By.cssSelector("table.diff tr.gone")).size()).isPositive();
        assertThat(browser.findElements(By.cssSelector("table.diff tr.new")).size()).isPositive();
        shot("diff");

        // the port page
        open("/port/tcp/23");
        assertThat(text()).contains("Port tcp/23", "3 of 6 devices", "pa-440", "busybox");
        shot("port");
    }

    @Test
    @Order(2)
    void aBannerCarryingAScriptTagIsTextAndNoDialogOpens() throws Exception {
        open("/?q=SN-EVIL");
        browser.findElement(By.linkText("hostile")).click();
        assertThat(text()).contains(WebFixture.HOSTILE_BANNER).contains("<img src=x onerror=alert(2)>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        // no script of the page's own beyond the two served from /assets, no img element from the hostname
        assertThat(js("return document.querySelectorAll('script:not([src])').length")).isEqualTo(0L);
        assertThat(js("return document.querySelectorAll('img').length")).isEqualTo(0L);
        shot("device-hostile");
        browser.findElement(By.cssSelector("#latest h2 a")).click();
        assertThat(text()).contains(WebFixture.HOSTILE_BANNER);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        shot("audit-hostile");
        // its nmap XML capture, the banner's script tag in it, is text too
        browser.findElement(By.linkText("hostile-nmap.xml")).click();
        assertThat(js("return document.getElementById('capture-text').textContent").toString()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(js("return document.querySelectorAll('script:not([src])').length")).isEqualTo(0L);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    @Order(3)
    void anAuditRecordedWhileTheFleetPageIsOpenAppearsWithoutAReload() throws Exception {
        open("/");
        new WebDriverWait(browser, WAIT).until(d -> js("return document.body.textContent").toString().contains("of 6 devices")
                || js("return document.body.textContent").toString().contains("of 7 devices"));
        js("window.portauditMarker = 'same page'");
        int before = browser.findElements(By.cssSelector("table.fleet tr[data-device]")).size();
        try (Store s = Store.open(WebFixture.location(db))) {
            WebFixture.record(s, WebFixture.id("late-board", "SN-LATE", "armadillo-440", "v3.0.0", "late", "10.77.2.9"),
                    WebFixture.T0.plusSeconds(99_000), WebFixture.lab("pa-440"));
        }
        new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.linkText("late-board")).size() == 1);
        assertThat(js("return window.portauditMarker")).isEqualTo("same page");
        assertThat(browser.findElements(By.cssSelector("table.fleet tr[data-device]"))).hasSize(before + 1);
        shot("fleet-live");
    }
}
