//! Headless Chromium driven through chromedriver: a browser per test, screenshots kept
//! in the artifacts folder, and the axe-core accessibility check of the page shown.

use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::TestApp;
use maillage_services::{Backend, Settings};

/// A chromedriver process and one Chromium session; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: std::path::PathBuf,
    base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        kill_chromium_of(&self.profile);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Chromium's processes outlive a killed chromedriver: they are found by the profile
/// folder on their command line, which is this browser's own.
fn kill_chromium_of(profile: &std::path::Path) {
    let marker = format!("--user-data-dir={}", profile.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmdline).contains(&marker) {
            let _ = Command::new("sh")
                .args(["-c", &format!("kill -9 {pid}")])
                .status();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Starts a browser for the application at `base`, or `None` when chromedriver is
    /// missing (allowed only outside `scripts/test`).
    pub async fn start(base: &str) -> Option<Self> {
        let port = free_port();
        let mut driver = match Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(error) => {
                assert!(
                    std::env::var("MAILLAGE_TEST_REQUIRE_ALL").is_err(),
                    "chromedriver cannot start ({error}): run scripts/test"
                );
                eprintln!("chromedriver not available: browser test skipped");
                return None;
            }
        };
        // chromedriver says on its standard output when it listens.
        let output = driver.stdout.take().unwrap();
        tokio::task::spawn_blocking(move || {
            let lines = BufReader::new(output).lines();
            for line in lines {
                if line.unwrap().contains("started successfully") {
                    return;
                }
            }
            panic!("chromedriver stopped before listening");
        })
        .await
        .unwrap();
        let profile = std::env::temp_dir().join(format!("maillage-chromium-{port}"));
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    "--lang=fr-FR",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Some(Self {
            client,
            driver,
            profile,
            base: base.to_owned(),
        })
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// The path of the page shown.
    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Types `text` into the field whose label points to `id`.
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn select(&self, id: &str, value: &str) {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.select_by_value(value).await.unwrap();
    }

    /// Clicks the button with this text and waits until the next page replaced this one.
    pub async fn press(&self, label: &str) {
        self.click_and_wait(&format!("//button[normalize-space(.)='{label}']"), label)
            .await;
    }

    /// Clicks the button with this accessible label (`aria-label`), as in tables where
    /// every row has its own "Retirer".
    pub async fn press_labelled(&self, label: &str) {
        self.click_and_wait(&format!("//button[@aria-label='{label}']"), label)
            .await;
    }

    /// Follows the link with this text and waits for its page.
    pub async fn follow(&self, text: &str) {
        self.click_and_wait(&format!("//a[normalize-space(.)='{text}']"), text)
            .await;
    }

    /// Clicks, then waits until a new document has replaced the one clicked in and has
    /// finished loading. The old document carries a mark that the new one lacks.
    async fn click_and_wait(&self, xpath: &str, label: &str) {
        self.client
            .execute("window.maillagePreviousPage = true;", vec![])
            .await
            .unwrap();
        let target = self.client.find(Locator::XPath(xpath)).await.unwrap();
        target.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        let loaded = "return document.readyState === 'complete' \
                      && window.maillagePreviousPage === undefined;";
        // While the browser navigates, the script may fail: that only means not yet.
        while self.client.execute(loaded, vec![]).await.ok() != Some(Value::Bool(true)) {
            assert!(
                Instant::now() < deadline,
                "« {label} » did not load a new page"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the element at `css` shows `text`, as a live update brings it: the page
    /// is read every 50 ms, for at most 15 s.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let shown = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "« {text} » did not appear in {css}: {shown}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ticks the checkbox or radio button matched by `css`.
    pub async fn tick(&self, css: &str) {
        let input = self.client.find(Locator::Css(css)).await.unwrap();
        input.click().await.unwrap();
    }

    pub async fn text_of(&self, css: &str) -> String {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.text().await.unwrap()
    }

    /// The page's width and the window's, with the window `width` pixels wide (WCAG 1.4.10:
    /// no sideways scrolling), and the innermost elements past the window's right edge that
    /// no scrolling box holds; the window gets its size back.
    pub async fn widths_at(&self, width: u32) -> (i64, i64, String) {
        let (was_width, was_height) = self.client.get_window_size().await.unwrap();
        self.client.set_window_size(width, 900).await.unwrap();
        let measured = self
            .client
            .execute(
                r#"const edge = document.documentElement.clientWidth + 1;
                   const past = (e) => e && e.getBoundingClientRect().right > edge;
                   const clipped = (node) => {
                     for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
                       if (getComputedStyle(a).overflowX !== 'visible') return true;
                     }
                     return false;
                   };
                   const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
                   const found = [...document.body.querySelectorAll('*')]
                     .filter((e) => past(e) && !clipped(e) && ![...e.children].some(past))
                     .map(name);
                   const words = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                   for (let text; (text = words.nextNode()); ) {
                     const range = document.createRange();
                     range.selectNodeContents(text);
                     if (range.getBoundingClientRect().right > edge && !clipped(text)) {
                       found.push(`« ${text.textContent.trim().slice(0, 40)} » in ${name(text.parentElement)}`);
                     }
                   }
                   return [document.documentElement.scrollWidth,
                           document.documentElement.clientWidth, found.join(', ')];"#,
                vec![],
            )
            .await
            .unwrap();
        let restored = (u32::try_from(was_width), u32::try_from(was_height));
        if let (Ok(w), Ok(h)) = restored {
            self.client.set_window_size(w, h).await.unwrap();
        }
        let number = |i: usize| measured[i].as_i64().unwrap_or_default();
        let culprits = measured[2].as_str().unwrap_or_default().to_owned();
        (number(0), number(1), culprits)
    }

    /// The visible text of the main area of the page.
    pub async fn main_text(&self) -> String {
        self.text_of("main").await
    }

    /// Saves a screenshot named `name` in the artifacts folder (when one is set).
    pub async fn screenshot(&self, name: &str) {
        let Ok(folder) = std::env::var("MAILLAGE_TEST_ARTIFACTS") else {
            return;
        };
        let png = self.client.screenshot().await.unwrap();
        let folder = std::path::Path::new(&folder).join("screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
    }

    /// Runs axe-core on the page shown and returns its serious or critical violations,
    /// one line each. The engine comes from npm (`MAILLAGE_TEST_AXE`, set by
    /// `scripts/test`); without it the check is skipped outside `scripts/test`.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let Some(engine) = axe_engine() else {
            return Vec::new();
        };
        self.client.execute(&engine, vec![]).await.unwrap();
        let report = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact,
                        targets: v.nodes.map(n => n.target.join(' ')).join(', ')
                    }))));",
                vec![],
            )
            .await
            .unwrap();
        report
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{} ({}): {}", v["id"], v["impact"], v["targets"]))
            .collect()
    }

    /// The bytes the page shown transferred: its document and every resource it loaded
    /// (as received, before decompression), whether or not the cache served them.
    pub async fn page_weight(&self) -> u64 {
        let total = self
            .client
            .execute(
                "return performance.getEntries()
                    .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
                    .reduce((sum, e) => sum + e.encodedBodySize, 0);",
                vec![],
            )
            .await
            .unwrap();
        total.as_u64().unwrap()
    }

    /// The page shown printed by Chromium as a PDF, on A4 portrait without shrinking it to
    /// fit (what does not fit is cut, as on paper), kept in the artifacts folder as `name`.
    pub async fn print_a4(&self, name: &str) -> Vec<u8> {
        let configuration = PrintConfiguration::builder()
            .size(PrintSize::A4)
            .shrink_to_fit(false)
            .margins(PrintMargins {
                top: 0.0,
                bottom: 0.0,
                left: 0.0,
                right: 0.0,
            })
            .build()
            .unwrap();
        let pdf = self.client.print(configuration).await.unwrap();
        if let Ok(folder) = std::env::var("MAILLAGE_TEST_ARTIFACTS") {
            let folder = std::path::Path::new(&folder).join("printed");
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join(format!("{name}.pdf")), &pdf).unwrap();
        }
        pdf
    }

    /// Screenshot plus accessibility check of the page shown, under `name`.
    pub async fn check_page(&self, name: &str) {
        self.screenshot(name).await;
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "accessibility of {name}: {violations:#?}"
        );
    }
}

fn axe_engine() -> Option<String> {
    match std::env::var("MAILLAGE_TEST_AXE") {
        Ok(path) => Some(std::fs::read_to_string(&path).expect("axe-core script")),
        Err(_) => {
            assert!(
                std::env::var("MAILLAGE_TEST_REQUIRE_ALL").is_err(),
                "MAILLAGE_TEST_AXE is not set: run scripts/test"
            );
            None
        }
    }
}

/// The most a page may weigh with its stylesheet and icon, in bytes.
const PAGE_BUDGET: u64 = 100 * 1024;
/// A phone's window, in CSS pixels, where a page must fit without sideways scrolling.
const NARROW_WINDOW: u32 = 400;

/// A test app on SQLite and a browser on it, or `None` without Chromium.
pub async fn start(settings: Settings) -> Option<(TestApp, Browser)> {
    // The journeys exercise pages, not storage: one backend is enough.
    let t = TestApp::spawn_with(Backend::Sqlite, settings).await?;
    let browser = Browser::start(&t.base).await?;
    Some((t, browser))
}

/// Settings where nobody has to enrol a second factor (journeys about other things).
pub fn without_second_factor() -> Settings {
    Settings {
        require_second_factor: false,
        ..Settings::default()
    }
}

impl Browser {
    /// Screenshot, accessibility and weight of the page shown.
    pub async fn inspect(&self, name: &str) {
        self.check_page(name).await;
        let weight = self.page_weight().await;
        assert!(weight <= PAGE_BUDGET, "{name} weighs {weight} bytes");
        let (page, window, culprits) = self.widths_at(NARROW_WINDOW).await;
        assert!(
            page <= window,
            "{name} needs sideways scrolling in a narrow window: {page} px for {window} \
             ({culprits})"
        );
    }

    pub async fn log_in(&self, email: &str, password: &str) {
        self.open("/connexion").await;
        self.fill("f-email", email).await;
        self.fill("f-password", password).await;
        self.press("Se connecter").await;
    }
}
