"""A real headless Chromium (Debian's chromium + chromedriver) driven by Selenium."""

import os
import shutil
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         '--host-resolver-rules=MAP * ~NOTFOUND', "--enable-unsafe-swiftshader",
         "--disable-dev-shm-usage", "--window-size=1280,900"]


def available() -> bool:
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


def start():
    """A fresh browser with its own profile; the tests fail (not skip) in CI without one."""
    if not available():
        if os.environ.get("CI"):
            pytest.fail("chromium/chromedriver missing: scripts/test.sh installs them")
        pytest.skip("chromium and chromedriver are not installed")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="timeline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver._timeline_profile = profile
    return driver


def stop(driver) -> None:
    profile = getattr(driver, "_timeline_profile", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_plots(driver, count: int = 1, timeout: float = 30) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "return document.querySelectorAll('.js-plotly-plot .main-svg').length >= arguments[0]"
            " && !!window.Plotly", count))


def fresh_log(driver):
    """The driver with its console log read away, as a newly started browser's would be."""
    driver.get_log("browser")
    return driver


def console_errors(driver) -> list:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def wait_for_items(driver, timeout: float = 30, changed_from=None) -> None:
    """Until the timeline's script has drawn its items (and, with `changed_from`, the x range
    has moved from it), and two animation frames have passed."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "const gd = document.querySelector('.js-plotly-plot');"
        "return !!(gd && gd._fullLayout && document.querySelector('.tl-layer .event-label, .tl-layer .event-cluster'))"
        " && JSON.stringify(gd._fullLayout.xaxis.range) !== JSON.stringify(arguments[0])", changed_from))
    driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));")
