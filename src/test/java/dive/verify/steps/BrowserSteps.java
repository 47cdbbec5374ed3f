package dive.verify.steps;

import dive.verify.report.Secrets;
import dive.verify.sso.Federation;
import dive.verify.sso.Site;
import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person with a real browser: Debian's headless Chromium driven by
 * Selenium through Debian's chromedriver (scripts/browser.sh installs both;
 * Selenium Manager is never asked to download anything).
 */
public final class BrowserSteps {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final World world;
    private Scenario scenario;
    private WebDriver driver;
    private Path profile;

    public BrowserSteps(World world) { this.world = world; }

    @Before("@browser")
    public void keep(Scenario scenario) { this.scenario = scenario; }

    @After("@browser")
    public void closeBrowser(Scenario scenario) {
        if (driver != null) {
            if (scenario.isFailed()) screenshot("the page when the scenario failed");
            driver.quit();
        }
        if (profile != null) deleteTree(profile);
    }

    private WebDriver browser() throws IOException {
        if (driver != null) return driver;
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Debian's chromium and chromium-driver are not installed (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): run scripts/browser.sh, as ./dive-verify test does");
        }
        profile = Files.createTempDirectory("dive-verify-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        // the machine has no network but the registries: keep Chromium from calling home
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private Federation fed() {
        if (world.federation == null) throw new IllegalStateException("no federation: a step must deploy it first");
        return world.federation;
    }

    @When("{string} of the hub signs in with a browser at the frontend of {string}, choosing {string}")
    public void signInWithBrowser(String user, String spoke, String idp) throws IOException {
        Site at = fed().spoke(spoke);
        Site home = fed().homeOf(user);
        WebDriver b = browser();
        WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(30));
        b.get(at.frontendUrl() + "/");
        step(wait, "the frontend's sign-in link", By.id("sign-in")).click();
        step(wait, "the identity provider " + idp + " on the login page of " + at.realm(), By.id("social-" + idp)).click();
        step(wait, "the login form of " + home.realm(), By.id("username")).sendKeys(user);
        b.findElement(By.id("password")).sendKeys(home.userPassword());
        b.findElement(By.id("kc-login")).click();
        step(wait, "the frontend's page of the signed-in user", By.id("country"));
    }

    /** Waits for an element; a timeout names what was expected and the page the browser is on. */
    private WebElement step(WebDriverWait wait, String expected, By by) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (TimeoutException e) {
            String feedback = driver.findElements(By.cssSelector("#kc-error-message, .kc-feedback-text, #input-error, #error"))
                    .stream().map(WebElement::getText).findFirst().orElse("");
            throw new AssertionError("the browser did not reach " + expected + " within 30 s: it is on \""
                    + driver.getTitle() + "\" at " + Secrets.redact(driver.getCurrentUrl().replaceAll("\\?.*", ""))
                    + (feedback.isBlank() ? "" : ", saying \"" + Secrets.redact(feedback) + "\""));
        }
    }

    @Then("the page shows country {string} and clearance {string}")
    public void pageShows(String country, String clearance) {
        assertThat(driver.findElement(By.id("country")).getText()).as("country on the page").isEqualTo(country);
        assertThat(driver.findElement(By.id("clearance")).getText()).as("clearance on the page").isEqualTo(clearance);
    }

    @Then("the page lists exactly the resources {string}")
    public void pageLists(String ids) {
        List<String> expected = Arrays.stream(ids.split(",")).map(String::trim).toList();
        List<String> shown = driver.findElements(By.cssSelector("#resources li[data-resource-id]")).stream()
                .map(e -> e.getAttribute("data-resource-id")).toList();
        assertThat(shown).as("resources listed on the page").containsExactlyInAnyOrderElementsOf(expected);
    }

    @Then("a screenshot of the page is attached to the report")
    public void screenshotAttached() {
        // evidence for the reader of the report, not a check
        screenshot("the signed-in user's page");
    }

    private byte[] screenshot(String name) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        scenario.attach(png, "image/png", name);
        return png;
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException ignored) {
            // a temp profile; the OS cleans it
        }
    }
}
