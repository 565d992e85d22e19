//! `silsila report`: the HTML file opened in headless Chromium, whose DOM
//! after the scripts ran must show the tables, a working filter, an
//! expanded explanation and the lineage picture, and whose screenshot must
//! not be blank. A missing Chromium fails the test: `.ci/run` installs it.

use std::path::Path;
use std::process::Command;

use crate::support::{silsila, Scratch};

fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1280,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output();
    match output {
        Ok(output) => output,
        Err(error) => panic!(
            "cannot run chromium ({error}): run `bash .ci/run`, or `apt-get install -y chromium`"
        ),
    }
}

#[test]
fn report_renders_tables_filter_explanation_and_picture_in_chromium() {
    let dir = Scratch::new("report");
    let html = dir.0.join("report.html");
    let run = silsila(&["report", "--out", html.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&html).unwrap();
    // Self-contained: nothing fetched to show it.
    for fetch in ["<script src", "<link", "@import", "<img"] {
        assert!(
            !text.contains(fetch),
            "the report fetches something: {fetch}"
        );
    }

    let url = format!(
        "file://{}#filter=descends_from:yusuf&open=current_descendant:0",
        html.display()
    );
    let dom = chromium(&dir.0.join("profile-dom"), &["--dump-dom", &url]);
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the script did not run:\n{dom}"
    );
    for relation in [
        "descends_from",
        "current_descendant",
        "co_located",
        "suspected_link",
        "lineage_member",
    ] {
        assert!(
            dom.contains(&format!(
                "<table class=\"conclusions\" id=\"t-{relation}\">"
            )),
            "{relation}"
        );
    }
    // The filter hid every descends_from row without "yusuf", and only them.
    let section = dom
        .split("<table class=\"conclusions\" id=\"t-descends_from\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let rows: Vec<&str> = section.split("<tr data-index=").skip(1).collect();
    assert!(rows.len() > 5, "{section}");
    let shown: Vec<&&str> = rows.iter().filter(|r| !r.contains("hidden")).collect();
    assert!(!shown.is_empty());
    assert!(shown.len() < rows.len(), "the filter hid nothing");
    for row in &rows {
        let text = row.split('>').next().unwrap().to_lowercase();
        assert_eq!(!row.contains("hidden"), text.contains("yusuf"), "{row}");
    }
    assert!(dom.contains(&format!(
        "<span id=\"t-descends_from-shown\">{}</span>",
        shown.len()
    )));
    // The first current_descendant conclusion is expanded into its proof.
    let open = dom
        .split("<details id=\"t-current_descendant-why-0\" open=\"\">")
        .nth(1)
        .expect("the explanation is not open");
    let proof = open.split("</details>").next().unwrap();
    assert!(proof.contains("by rule current-descendant"), "{proof}");
    assert!(proof.contains("source tna-2022-11"), "{proof}");
    // With the analyst's notes of the rows it rests on, quoted.
    assert!(
        proof.contains("<ul class=\"notes\"><li><span class=\"origin\">facts/"),
        "{proof}"
    );
    assert!(proof.contains("<q>"), "{proof}");
    // The picture: an inline SVG with the lineage's groups.
    let picture = dom.split("<div class=\"picture\">").nth(1).unwrap();
    let picture = picture.split("</div>").next().unwrap();
    assert!(picture.contains("<svg"), "{picture}");
    assert!(picture.contains("Khalid ibn al-Walid Army"), "{picture}");
    assert!(
        picture.contains("Yusuf Nabulsi's cell (current)"),
        "{picture}"
    );

    let shot = dir.0.join("screenshot.png");
    let output = chromium(
        &dir.0.join("profile-shot"),
        &[&format!("--screenshot={}", shot.display()), &url],
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&output.stderr)));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // A blank 1280×1000 page compresses to about 6 kB; the report's top
    // (headings, the parameters table, the picture) to about ten times that.
    assert!(
        png.len() > 25_000,
        "the screenshot looks blank: {} bytes",
        png.len()
    );
}

#[test]
fn report_never_writes_into_the_facts() {
    let run = silsila(&["report", "--out", "facts/report.html"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("silsila never writes to its inputs"),
        "{}",
        run.stderr
    );
    assert!(!Path::new("facts/report.html").exists());
}
