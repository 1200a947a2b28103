//! What people open: the HTML reports, their charts and the workbooks, rendered by the
//! real binary. Figures are read from each audience's report.json and looked for in its
//! HTML as sprout formats them; charts are parsed as XML; labels from the data are
//! checked to stay inert everywhere; and odd models (suppressed cells, one cohort, no
//! pairs, too few pairs) render without error.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sprout::render::format;

const AUDIENCES: [&str; 3] = ["evaluator", "trustee", "commissioner"];

fn sample_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/programme.toml")
}

/// The sample's reports for 2026/27 Q2, rendered once for every test here.
fn sample_reports() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render-cli-sample");
        let _ = std::fs::remove_dir_all(&out);
        let run = common::sprout()
            .args(["report", "--period", "2026/27 Q2", "--config"])
            .arg(sample_config())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        out.join("2026-27-Q2")
    })
    .clone()
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn json(dir: &Path, audience: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(audience).join("report.json")).unwrap())
        .unwrap()
}

fn html(dir: &Path, audience: &str) -> String {
    std::fs::read_to_string(dir.join(audience).join("report.html")).unwrap()
}

fn count(v: &Value) -> Option<String> {
    v["value"].as_u64().map(format::int)
}

/// A share of report.json as the reports show it: from exact counts by the rule every
/// audience shares, or the proportion already published so.
fn share_text(s: &Value) -> Option<String> {
    let p = s["proportion"].as_f64()?;
    let exact = |c: &Value| {
        c.get("shown")
            .is_none()
            .then(|| c["value"].as_u64())
            .flatten()
    };
    let percent = match (exact(&s["numerator"]), exact(&s["denominator"])) {
        (Some(k), Some(n)) => sprout::model::precision::share_percent(k, n)?,
        _ => (p * 100.0).round() as u64,
    };
    Some(format!("{percent}%"))
}

fn measure_dp(m: &Value, id: &str) -> usize {
    let info = m["meta"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["measure"] == id || x["id"] == id)
        .unwrap();
    sprout::model::precision::measure(info["min"].as_f64().unwrap(), info["max"].as_f64().unwrap())
}

/// The figures a reader of each report must find, formatted as sprout formats them.
fn key_figures(m: &Value, audience: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |what: String, v: Option<String>| {
        if let Some(v) = v {
            out.push((what, v));
        }
    };
    let flow = &m["flow"]["period"];
    push(
        "people supported".into(),
        count(&m["people"]["period"]["supported"]),
    );
    if audience != "commissioner" {
        for stage in ["referred", "started", "discharged"] {
            push(format!("flow {stage}"), count(&flow[stage]));
        }
    }
    if audience != "trustee" {
        push(
            "sessions attended".into(),
            count(&m["engagement"]["period"]["attended"]),
        );
    }
    let primary = m["meta"]["primary_outcome"].as_str().unwrap();
    for c in m["outcomes"]["period"]["comparisons"].as_array().unwrap() {
        let measure = c["measure"].as_str().unwrap();
        if c["main"] != true || c["result"].is_null() {
            continue;
        }
        if audience != "evaluator" && measure != primary {
            continue;
        }
        let dp = measure_dp(m, measure);
        let r = &c["result"];
        push(format!("{measure} n"), count(&c["n"]));
        let headline = if r["improved"].is_object() && r["mcid"].is_number() {
            &r["improved"]
        } else {
            &r["better"]
        };
        push(format!("{measure} headline share"), share_text(headline));
        let change = r["mean_change"]["value"].as_f64().unwrap();
        push(
            format!("{measure} mean change"),
            Some(if audience == "evaluator" {
                format::signed(change, dp)
            } else {
                format::number(change.abs(), dp)
            }),
        );
        if audience == "evaluator" {
            push(
                format!("{measure} baseline mean"),
                Some(format::number(r["from"]["mean"].as_f64().unwrap(), dp)),
            );
            if let (Some(l), Some(u)) = (
                r["mean_change"]["lower"].as_f64(),
                r["mean_change"]["upper"].as_f64(),
            ) {
                push(
                    format!("{measure} change interval"),
                    Some(format::interval(l, u, dp)),
                );
            }
        }
    }
    let ome = &m["medication"]["period"]["ome"];
    if !ome.is_null() && audience != "commissioner" {
        for end in ["from_mean", "to_mean"] {
            push(
                format!("OME {end}"),
                Some(format::number(ome[end]["value"].as_f64().unwrap(), 0)),
            );
        }
    }
    for r in m["people"]["period"]["reach"].as_array().unwrap() {
        push(format!("reach {}", r["id"]), share_text(&r["share"]));
    }
    out
}

#[test]
fn every_key_figure_of_each_audience_appears_in_its_html() {
    let dir = &sample_reports();
    for audience in AUDIENCES {
        let m = json(dir, audience);
        let page = html(dir, audience);
        let figures = key_figures(&m, audience);
        assert!(figures.len() >= 6, "{audience}: {figures:?}");
        for (what, text) in &figures {
            assert!(
                page.contains(text.as_str()),
                "{audience}: {what} `{text}` is not in report.html"
            );
        }
        assert!(page.contains(m["meta"]["programme"].as_str().unwrap()));
        assert!(page.contains(m["meta"]["period"]["label"].as_str().unwrap()));
    }
}

/// A document's text as a reader sees it, with all white space removed (so that line
/// breaks, hyphenation and kerning do not matter): the HTML's visible text, or the
/// PDF's extracted text.
fn document_text(dir: &Path, audience: &str, pdf: bool) -> String {
    let text = if pdf {
        let bytes = std::fs::read(dir.join(audience).join("report.pdf")).unwrap();
        pdf_extract::extract_text_from_mem(&bytes).unwrap()
    } else {
        let page = html(dir, audience);
        let no_style = regex::Regex::new(r"(?s)<style.*?</style>|<svg.*?</svg>").unwrap();
        let tags = regex::Regex::new(r"(?s)<[^>]*>").unwrap();
        let t = tags
            .replace_all(&no_style.replace_all(&page, " "), " ")
            .into_owned();
        t.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#x27;", "'")
    };
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The main figures a document prints, as (quantity, text), formatted from its own model
/// by the rule every report follows: the headline share and its interval, the average
/// change of the primary outcome and of pain with their intervals, the comparison over
/// time, the cohorts the main group finding names, the opioid dose and the reach shares.
fn printed_figures(m: &Value) -> Vec<(String, String)> {
    use sprout::model::precision;
    let mut out = Vec::new();
    let comparison = |measure: &str| {
        m["outcomes"]["period"]["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["main"] == true && c["measure"] == measure)
            .cloned()
    };
    let exact = |c: &Value| {
        c.get("shown")
            .is_none()
            .then(|| c["value"].as_u64())
            .flatten()
    };
    let percent = |s: &Value| -> Option<(u64, Option<(u64, u64)>)> {
        let p = s["proportion"].as_f64()?;
        let (k, n) = (exact(&s["numerator"]), exact(&s["denominator"]));
        let shown = match (k, n) {
            (Some(k), Some(n)) => precision::share_percent(k, n)?,
            _ => (p * 100.0).round() as u64,
        };
        let ci = s["ci"].as_array().map(|_| match (k, n) {
            (Some(k), Some(n)) => precision::share_interval(k, n).unwrap(),
            _ => {
                let base = s["denominator"]["value"].as_u64().unwrap();
                precision::interval_of_shown(shown, base).unwrap()
            }
        });
        Some((shown, ci))
    };
    let primary = m["meta"]["primary_outcome"].as_str().unwrap();
    let dp = measure_dp(m, primary);
    if let Some(c) = comparison(primary) {
        let r = &c["result"];
        if let Some((p, ci)) = percent(&r["improved"]) {
            out.push(("headline share".into(), format!("({p}%)")));
            if let Some((l, u)) = ci {
                out.push(("headline interval".into(), format!("between{l}%and{u}%")));
            }
        }
        let e = &r["mean_change"];
        out.push((
            "primary change".into(),
            format!(
                "by{}points",
                format::number(e["value"].as_f64().unwrap().abs(), dp)
            ),
        ));
        out.push((
            "primary change interval".into(),
            format!(
                "between{}and{}points",
                format::number(e["lower"].as_f64().unwrap().abs(), dp),
                format::number(e["upper"].as_f64().unwrap().abs(), dp)
            ),
        ));
    }
    if let Some(c) = comparison("bpi_severity") {
        let e = &c["result"]["mean_change"];
        let pdp = measure_dp(m, "bpi_severity");
        out.push((
            "pain change".into(),
            format::number(e["value"].as_f64().unwrap().abs(), pdp),
        ));
    }
    for p in m["main_points"]["points"].as_array().unwrap() {
        if p["kind"] == "over_time"
            && let Some(v) = p["previous"]["value"]["value"].as_f64()
        {
            out.push(("previous quarters' change".into(), format::signed(v, dp)));
        }
    }
    if let Some(g) = m["main_points"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "groups")
    {
        let list = &m["cohorts"][g["scope"].as_str().unwrap()];
        let c = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["dimension"] == g["dimension"] && c["measure"] == g["measure"])
            .unwrap();
        for end in ["lowest", "highest"] {
            if let Some(key) = c["finding"][end].as_str() {
                let row = c["cohorts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["key"] == key)
                    .unwrap();
                let v = row["result"]["mean_change"]["value"].as_f64().unwrap();
                out.push((format!("{end} cohort's change"), format::signed(v, dp)));
            }
        }
    }
    let ome = &m["medication"]["period"]["ome"];
    if !ome.is_null() {
        // "from 31 mg to 19 mg" in sentences, "31 → 19 mg" as a key figure.
        let (from, to) = (
            format::number(ome["from_mean"]["value"].as_f64().unwrap(), 0),
            format::number(ome["to_mean"]["value"].as_f64().unwrap(), 0),
        );
        out.push((
            "opioid dose".into(),
            format!("from{from}mgto{to}mg|{from}→{to}mg"),
        ));
    }
    for r in m["people"]["period"]["reach"].as_array().unwrap() {
        if let Some((p, _)) = percent(&r["share"]) {
            out.push((format!("reach {}", r["id"]), format!("{p}%")));
        }
    }
    out
}

#[test]
fn every_main_figure_prints_as_its_model_says_and_alike_in_every_report() {
    let dir = &sample_reports();
    let mut by_quantity: std::collections::BTreeMap<String, Vec<(&str, String)>> =
        Default::default();
    for audience in AUDIENCES {
        let m = json(dir, audience);
        let figures = printed_figures(&m);
        assert!(figures.len() >= 10, "{audience}: {figures:?}");
        for pdf in [false, true] {
            let text = document_text(dir, audience, pdf);
            for (what, figure) in &figures {
                let want: String = figure.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    want.split('|').any(|w| text.contains(w)),
                    "{audience} {}: {what} `{figure}` is not printed",
                    if pdf { "PDF" } else { "HTML" }
                );
            }
        }
        for (what, figure) in figures {
            by_quantity
                .entry(what)
                .or_default()
                .push((audience, figure));
        }
    }
    // A figure the audiences share prints the same in each: one rounding, one rule.
    let mut shared = 0;
    for (what, prints) in &by_quantity {
        if prints.len() > 1 {
            shared += 1;
            let first = &prints[0].1;
            assert!(
                prints.iter().all(|(_, p)| p == first),
                "{what} prints differently: {prints:?}"
            );
        }
    }
    assert!(
        shared >= 10,
        "{shared} figures shared by two or more reports"
    );
}

#[test]
fn each_report_leads_with_the_meaningful_change_and_compares_over_time_and_between_groups() {
    let dir = &sample_reports();
    for audience in AUDIENCES {
        let m = json(dir, audience);
        let text = document_text(dir, audience, false);
        // The headline: the share who improved by the meaningful change (3 points).
        assert!(
            text.contains(
                "improvedtheirwellbeingscorebyatleast3points,thesmallestchangepeopletypicallynotice"
            ),
            "{audience}: no meaningful-change headline"
        );
        // Over time: the period against the previous four quarters, with both figures.
        let over = m["main_points"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "over_time")
            .unwrap();
        let previous = format::signed(over["previous"]["value"]["value"].as_f64().unwrap(), 1);
        let over_words = if audience == "trustee" {
            format!("against{previous}overthefourquartersbefore")
        } else {
            format!("previousfourquarterspooled({previous}")
        };
        assert!(text.contains(&over_words), "{audience}: {over_words}");
        // Between groups: deprivation, named by the test's result with its figures.
        let imd = m["main_points"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "groups" && p["dimension"] == "imd_quintile");
        assert!(imd, "{audience}: no deprivation point");
        let named = if audience == "trustee" {
            "improvedleastforpeopleinthemostdeprivedfifthofareas"
        } else {
            "byIMDquintile:wellbeingimprovedleastinIMDquintile1(mostdeprived)"
        };
        assert!(text.contains(named), "{audience}: {named}");
    }
    // The trustees' headline is the meaningful-change share, not "any rise".
    let trustee = html(dir, "trustee");
    let lead = trustee
        .split("<p class=\"headline\">")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap();
    assert!(lead.contains("by at least 3 points"), "{lead}");
}

#[test]
fn the_commissioner_sees_every_cohort_of_the_primary_outcome() {
    let dir = &sample_reports();
    let m = json(dir, "commissioner");
    let page = html(dir, "commissioner");
    let primary = m["meta"]["primary_outcome"].as_str().unwrap();
    let dp = measure_dp(&m, primary);
    let mut checked = 0;
    for c in m["cohorts"]["period"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["measure"] == primary)
    {
        for row in c["cohorts"].as_array().unwrap() {
            let label = row["label"].as_str().unwrap();
            assert!(page.contains(label), "cohort {label}");
            if let Some(v) = row["result"]["mean_change"]["value"].as_f64() {
                assert!(page.contains(&format::signed(v, dp)), "{label}: change {v}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "{checked} cohort changes checked");
}

#[test]
fn no_output_refers_to_anything_outside_itself() {
    let dir = &sample_reports();
    let files: Vec<PathBuf> = files_under(dir, "html")
        .into_iter()
        .chain(files_under(dir, "svg"))
        .collect();
    assert!(files.len() > 50, "{} files", files.len());
    for f in &files {
        // The SVG namespace is a name, not a request.
        let text = std::fs::read_to_string(f)
            .unwrap()
            .replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for scheme in ["http:", "https:", "//cdn", "@import"] {
            assert!(!text.contains(scheme), "{}: `{scheme}`", f.display());
        }
        if f.extension().is_some_and(|e| e == "html") {
            assert!(
                text.contains(
                    "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                ),
                "{}: no CSP",
                f.display()
            );
            assert!(
                !text.to_ascii_lowercase().contains("<script"),
                "{}",
                f.display()
            );
        }
    }
}

#[test]
fn every_chart_parses_and_says_what_it_shows() {
    let dir = &sample_reports();
    for audience in AUDIENCES {
        let charts = files_under(&dir.join(audience).join("charts"), "svg");
        assert!(!charts.is_empty(), "{audience} has no charts");
        let page = html(dir, audience);
        for f in charts {
            let text = std::fs::read_to_string(&f).unwrap();
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let svg = doc.root_element();
            assert_eq!(svg.tag_name().name(), "svg");
            assert_eq!(svg.attribute("role"), Some("img"), "{}", f.display());
            let children: Vec<_> = svg.children().filter(|n| n.is_element()).collect();
            assert_eq!(children[0].tag_name().name(), "title", "{}", f.display());
            assert_eq!(children[1].tag_name().name(), "desc", "{}", f.display());
            let title = children[0].text().unwrap_or_default();
            let desc = children[1].text().unwrap_or_default();
            assert!(
                title.len() > 10 && desc.len() > 40,
                "{}: {title} / {desc}",
                f.display()
            );
            // The text alternative carries numbers, not just a description of the shape.
            assert!(
                desc.chars().any(|c| c.is_ascii_digit()),
                "{}: {desc}",
                f.display()
            );
            let ids: Vec<&str> = svg
                .attribute("aria-labelledby")
                .unwrap()
                .split(' ')
                .collect();
            assert_eq!(
                ids,
                [
                    children[0].attribute("id").unwrap(),
                    children[1].attribute("id").unwrap()
                ]
            );
            // The same chart is inlined in the report, with its data table beside it.
            let stem = f.file_stem().unwrap().to_string_lossy();
            assert!(
                page.contains(&format!("id=\"{stem}-title\"")),
                "{audience}: {stem} not inlined"
            );
            assert!(
                page.contains(&format!("id=\"table-{stem}-data\"")),
                "{audience}: {stem} has no data table"
            );
        }
    }
}

#[test]
fn tables_have_captions_and_header_scopes() {
    let dir = &sample_reports();
    for audience in AUDIENCES {
        let page = html(dir, audience);
        let tables = page.matches("<table").count();
        assert!(tables >= 3, "{audience}: {tables} tables");
        assert_eq!(
            page.matches("<caption").count(),
            tables,
            "{audience}: a table without a caption"
        );
        assert!(page.matches("<th scope=\"col\"").count() >= tables);
        assert!(page.contains("<th scope=\"row\">"));
        assert!(page.contains("<h1>") && page.contains("<h2 id="));
    }
}

#[test]
fn every_workbook_is_laid_out_as_statistics_are_released() {
    use calamine::{Data, Reader};
    let dir = &sample_reports();
    for audience in AUDIENCES {
        let path = dir.join(audience).join("tables.xlsx");
        let mut book = calamine::open_workbook_auto(&path).unwrap();
        let sheets = book.sheet_names();
        let csvs = files_under(&dir.join(audience).join("tables"), "csv");
        assert_eq!(&sheets[..3], ["Cover", "Contents", "Notes"], "{audience}");
        assert_eq!(
            sheets.len(),
            csvs.len() + 3,
            "{audience}: a cover, contents and notes, then one sheet per CSV table"
        );
        let contents = book.worksheet_range("Contents").unwrap();
        let listed: Vec<String> = contents
            .rows()
            .skip(3)
            .filter_map(|r| r.first().map(ToString::to_string))
            .collect();
        assert_eq!(
            listed,
            sheets[3..],
            "{audience}: the contents list every table"
        );
        let cover = book.worksheet_range("Cover").unwrap();
        let cover_text: Vec<String> = cover.rows().flatten().map(ToString::to_string).collect();
        for label in [
            "Period",
            "Organisation",
            "Source",
            "Disclosure control",
            "Generated",
        ] {
            assert!(
                cover_text.iter().any(|c| c == label),
                "{audience}: cover lacks {label}"
            );
        }
        for name in &sheets[3..] {
            let range = book.worksheet_range(name).unwrap();
            let title = range
                .get((0, 0))
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                title.contains("2026/27 Q2"),
                "{audience} {name}: the title row names the period: {title:?}"
            );
            let rows: Vec<&[Data]> = range.rows().skip(3).collect();
            let width = range.width();
            for c in 0..width {
                let numeric = rows
                    .iter()
                    .any(|r| matches!(r.get(c), Some(Data::Float(_) | Data::Int(_))));
                if !numeric {
                    continue;
                }
                for r in &rows {
                    if let Some(Data::String(t)) = r.get(c) {
                        assert!(
                            t.trim().parse::<f64>().is_err(),
                            "{audience} {name}: {t:?} is a number stored as text"
                        );
                    }
                }
            }
        }
        let flow = book.worksheet_range("flow").unwrap();
        assert_eq!(flow.get((2, 0)), Some(&Data::String("Stage".into())));
        assert!(
            matches!(flow.get((3, 1)), Some(Data::Float(_))),
            "counts are numbers: {:?}",
            flow.get((3, 1))
        );
        // A median with its interquartile range is three number columns.
        let engagement = book.worksheet_range("engagement").unwrap();
        let medians = engagement
            .rows()
            .find(|r| {
                r.first()
                    .is_some_and(|c| c.to_string().starts_with("Sessions per client"))
            })
            .unwrap();
        assert!(
            medians[1..4]
                .iter()
                .all(|c| matches!(c, Data::Float(_)) || matches!(c, Data::String(s) if s == "[c]")),
            "{audience}: {medians:?}"
        );
    }
}

/// A sample export whose trusts are named like an attack: a third `<script>`, a third a
/// spreadsheet formula.
fn hostile_export(dir: &Path) -> PathBuf {
    common::sample_with_column(dir, 400, 3, "Hospital Trust", |i, old| match i % 3 {
        0 => "<script>alert(1)</script>".into(),
        1 => "=HYPERLINK(\"x\")".into(),
        _ => old.to_owned(),
    })
}

#[test]
fn labels_from_the_data_stay_inert_in_html_svg_csv_and_xlsx() {
    use calamine::{Data, Reader};
    let tmp = tempfile::tempdir().unwrap();
    let config = hostile_export(tmp.path());
    let period = common::report_into(&config, &tmp.path().join("out"), &[]);
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for audience in AUDIENCES {
        let page = html(&period, audience);
        assert!(
            !page.to_ascii_lowercase().contains("<script"),
            "{audience}: a live script tag"
        );
        if audience != "trustee" {
            // Trustees see no cohorts; the others see the trusts by name.
            assert!(
                page.contains(escaped),
                "{audience}: the label is not shown escaped"
            );
            assert!(
                page.contains("=HYPERLINK(&quot;x&quot;)")
                    || page.contains("=HYPERLINK(&#34;x&#34;)"),
                "{audience}"
            );
        }
        for svg in files_under(&period.join(audience).join("charts"), "svg") {
            let text = std::fs::read_to_string(&svg).unwrap();
            assert!(!text.contains("<script"), "{}", svg.display());
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
        }
        let cohorts =
            std::fs::read_to_string(period.join(audience).join("tables/cohorts.csv")).unwrap();
        assert!(
            cohorts.contains("'=HYPERLINK(\"\"x\"\")"),
            "{audience}: the formula is not neutralised in CSV"
        );
        assert!(!cohorts.contains(",=HYPERLINK"), "{audience}");
        let mut book =
            calamine::open_workbook_auto(period.join(audience).join("tables.xlsx")).unwrap();
        let mut seen = false;
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(
                formulas.cells().all(|(_, _, f)| f.is_empty()),
                "{audience}/{name}: a formula cell"
            );
            let range = book.worksheet_range(&name).unwrap();
            seen |= range
                .cells()
                .any(|(_, _, c)| matches!(c, Data::String(s) if s.contains("HYPERLINK")));
        }
        assert!(
            seen,
            "{audience}: the label is kept as text in the workbook"
        );
    }
    // The trust's charts hold the label as text, escaped once.
    let forest =
        std::fs::read_to_string(period.join("evaluator/charts/forest-swemwbs.svg")).unwrap();
    assert!(forest.contains("&lt;script&gt;"), "forest plot label");
}

#[test]
fn odd_models_render_without_error() {
    // The tiny export: three clients, one pair (fewer than min_n), every count 1-7 (so
    // hidden for trustees and commissioners), and one cohort.
    let s = common::Scenario::clean();
    s.edit_config("[timepoints]", "[[cohorts]]\nid = \"sex\"\n\n[timepoints]");
    let dir = s.report_half_year();
    for audience in AUDIENCES {
        let page = html(&dir, audience);
        assert!(page.contains("</html>"), "{audience}");
        for svg in files_under(&dir.join(audience).join("charts"), "svg") {
            roxmltree::Document::parse(&std::fs::read_to_string(&svg).unwrap()).unwrap();
        }
    }
    let trustee = html(&dir, "trustee");
    assert!(
        trustee.contains("[c] confidential: hidden to protect privacy (a count of fewer than 8"),
        "a [c] has its footnote"
    );
    let evaluator = html(&dir, "evaluator");
    assert!(
        evaluator.contains("[x] not available"),
        "too few pairs say so"
    );

    // No pairs at all: nobody has a later assessment.
    s.write(
        "assessments.csv",
        "Client ID,Date,Stage,Measure,Score\nC1,08/04/2025,Start,swemwbs,20\n",
    );
    s.write(
        "medications.csv",
        "Client ID,Date,Drug,Dose,Unit,Stage\nC1,08/04/2025,Tramadol,200,mg,Start\n",
    );
    let dir = s.report_half_year();
    let evaluator = html(&dir, "evaluator");
    assert!(
        evaluator.contains("Nobody has both"),
        "no pairs are explained"
    );
}

#[test]
fn audience_and_format_choose_the_outputs() {
    let out = tempfile::tempdir().unwrap();
    let run = common::sprout()
        .args([
            "report",
            "--period",
            "2026/27 Q2",
            "--audience",
            "trustee",
            "--format",
            "html,json",
            "--quiet",
            "--config",
        ])
        .arg(sample_config())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.stdout.is_empty(),
        "--quiet prints nothing: {}",
        String::from_utf8_lossy(&run.stdout)
    );
    let dir = out.path().join("2026-27-Q2");
    assert!(dir.join("trustee/report.html").is_file());
    assert!(dir.join("trustee/report.json").is_file());
    assert!(dir.join("trustee/charts").is_dir());
    assert!(!dir.join("trustee/tables").exists());
    assert!(!dir.join("trustee/tables.xlsx").exists());
    assert!(!dir.join("evaluator").exists());
    assert!(!dir.join("data-quality.csv").exists());
}

#[test]
fn a_copy_of_the_templates_rewords_and_a_broken_one_names_its_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("mine");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("wording.toml"),
        "[trustee]\nmeaning_heading = \"So what?\"\n",
    )
    .unwrap();
    let report = |extra: &[&str]| {
        common::sprout()
            .args([
                "report",
                "--period",
                "2026/27 Q2",
                "--audience",
                "trustee",
                "--format",
                "html",
                "--config",
            ])
            .arg(sample_config())
            .arg("--out")
            .arg(tmp.path().join("out"))
            .arg("--templates")
            .arg(&templates)
            .args(extra)
            .output()
            .unwrap()
    };
    let ok = report(&[]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let page =
        std::fs::read_to_string(tmp.path().join("out/2026-27-Q2/trustee/report.html")).unwrap();
    assert!(page.contains("So what?"));
    assert!(
        page.contains("About these figures"),
        "phrases left out keep their wording"
    );

    let good =
        std::fs::read_to_string(tmp.path().join("out/2026-27-Q2/trustee/report.html")).unwrap();
    std::fs::write(
        templates.join("trustee.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ doc.cover.programm }}</p>\n{% endblock %}\n",
    )
    .unwrap();
    let broken = report(&[]);
    assert_eq!(broken.status.code(), Some(2));
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("mine/trustee.html line 3"), "{err}");
    assert!(
        err.contains("doc.cover.programm"),
        "names the model field: {err}"
    );
    // The failed run left the previous report in place.
    let after =
        std::fs::read_to_string(tmp.path().join("out/2026-27-Q2/trustee/report.html")).unwrap();
    assert_eq!(after, good);

    std::fs::write(
        templates.join("trustee.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n",
    )
    .unwrap();
    let syntax = report(&[]);
    assert_eq!(syntax.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&syntax.stderr).contains("mine/trustee.html line 3"),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
}

#[test]
fn costs_and_a_well_being_star_reach_the_reports() {
    // Twelve clients with a Well-being Star at the start and the end, and a rate per
    // contact hour.
    let s = common::Scenario::clean();
    s.edit_config(
        "[[measures]]\nid = \"swemwbs\"",
        "[[measures]]\nid = \"wellbeing_star\"",
    );
    s.edit_config("[[measures]]\nid = \"ons4\"\n", "");
    s.edit_config("[labels.measure]\nons4_anxiety = [\"Anxiety\"]", "");
    s.edit_config(
        "[labels.timepoint]",
        "[costs]\nper_contact_hour = 40\n\n[labels.timepoint]",
    );
    let areas = [
        "wellbeing_star_lifestyle",
        "wellbeing_star_looking_after_yourself",
        "wellbeing_star_managing_symptoms",
        "wellbeing_star_work_volunteering",
        "wellbeing_star_money",
        "wellbeing_star_where_you_live",
        "wellbeing_star_family_friends",
        "wellbeing_star_feeling_positive",
    ];
    let mut referrals = String::from("Client ID,Referred,Started,Discharged,Ethnicity,IMD\n");
    let mut sessions = String::from("Client ID,Date,Mode,Minutes\n");
    let mut assessments = String::from("Client ID,Date,Stage,Measure,Score\n");
    for c in 1..=12 {
        referrals.push_str(&format!(
            "C{c},01/04/2025,08/04/2025,30/09/2025,White British,{}\n",
            c % 10 + 1
        ));
        sessions.push_str(&format!(
            "C{c},08/04/2025,Face to face,60\nC{c},15/05/2025,Phone,30\n"
        ));
        for (i, a) in areas.iter().enumerate() {
            let start = 3 + (c + i) % 4;
            assessments.push_str(&format!("C{c},08/04/2025,Start,{a},{start}\n"));
            assessments.push_str(&format!(
                "C{c},30/09/2025,End,{a},{}\n",
                (start + 1 + c % 3).min(10)
            ));
        }
    }
    s.write("referrals.csv", &referrals);
    s.write("sessions.csv", &sessions);
    s.write("assessments.csv", &assessments);
    s.write("medications.csv", "Client ID,Date,Drug,Dose,Unit,Stage\n");
    let dir = s.report_half_year();
    let radar = dir.join("evaluator/charts/star.svg");
    let text = std::fs::read_to_string(&radar).unwrap_or_else(|_| panic!("no Star chart"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(desc.contains("Managing symptoms"), "{desc}");
    // 12 people, 90 minutes each: 18 hours at £40 = £720, £60 a person, shown to £50:
    // with the total, a finer figure would tell 12 people from 10, 11, 13 or 14.
    let m = json(&dir, "evaluator");
    assert_eq!(m["costs"]["period"]["total"], 720.0);
    assert_eq!(m["costs"]["period"]["per_person_supported"], 50.0);
    // Under the nhs policy the 12 people show as 10; the cost is the same figure.
    let c = json(&dir, "commissioner");
    assert_eq!(c["costs"]["period"]["people_supported"]["value"], 10);
    assert_eq!(c["costs"]["period"]["per_person_supported"], 50.0);
    let page = html(&dir, "commissioner");
    assert!(
        page.contains("£720") && page.contains("£50.00"),
        "cost per person in the commissioner report"
    );
}

/// Each chart's `<title>` and `<desc>` (unescaped enough to compare).
fn title_and_desc(svg: &str) -> (String, String) {
    let inner = |tag: &str| {
        let open = svg.find(&format!("<{tag} ")).unwrap();
        let start = open + svg[open..].find('>').unwrap() + 1;
        let end = start + svg[start..].find(&format!("</{tag}>")).unwrap();
        svg[start..end].replace("&amp;", "&").replace("&apos;", "'")
    };
    (inner("title"), inner("desc"))
}

/// Every chart's title states its message with a number, and its text alternative opens
/// with that message.
fn charts_say_their_message(dir: &Path) {
    let svgs = files_under(dir, "svg");
    assert!(svgs.len() > 20, "{}", svgs.len());
    for path in svgs {
        let svg = std::fs::read_to_string(&path).unwrap();
        let (title, desc) = title_and_desc(&svg);
        assert!(
            title.chars().any(|c| c.is_ascii_digit()),
            "{}: the title states no number: {title}",
            path.display()
        );
        assert!(
            desc.starts_with(&title),
            "{}: the text alternative does not state the title's message: {desc}",
            path.display()
        );
    }
}

/// The hand-made fixture's reports (small groups, hidden figures, a custom period) in
/// HTML and JSON, rendered once for every test here; the period folder.
fn handmade_reports() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render-cli-handmade");
        let _ = std::fs::remove_dir_all(&out);
        let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handmade");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture.join("expected.json")).unwrap())
                .unwrap();
        let run = common::sprout()
            .env(
                "SOURCE_DATE_EPOCH",
                expected["source_date_epoch"].as_u64().unwrap().to_string(),
            )
            .args(["report", "--format", "html,json", "--period"])
            .arg(expected["period"].as_str().unwrap())
            .arg("--config")
            .arg(fixture.join("programme.toml"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        files_under(&out, "html")[0]
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .to_owned()
    })
    .clone()
}

#[test]
fn every_chart_title_states_its_message_with_a_number() {
    charts_say_their_message(&sample_reports());
    charts_say_their_message(&handmade_reports());
}

/// Abbreviations and the names of tests and statistics a reader may not know.
const TEST_NAMES: [&str; 12] = [
    "t test",
    "Wilcoxon",
    "Mann-Whitney",
    "Kruskal-Wallis",
    "McNemar",
    "ANOVA",
    "ANCOVA",
    "Holm",
    "Wilson",
    "Welch",
    "Jacobson",
    "d_z",
];

/// Words of the export and the config, not of sprout: cohort and category labels,
/// timepoints, phases, the programme, files, columns and the instruments' citations. A
/// measure's own label is not among them: an instrument's name is for the glossary.
fn words_from_the_data(v: &Value, key: &str, under_measures: bool, out: &mut String) {
    match v {
        Value::String(s) => {
            let from_data = [
                "label",
                "dimension_label",
                "programme",
                "organisation",
                "reach_area",
                "citation",
                "file",
                "column",
                "span_label",
                "value",
                "sheet",
            ];
            if from_data.contains(&key) && !(under_measures && key == "label") {
                out.push_str(s);
                out.push('\n');
            }
        }
        Value::Array(items) => {
            for i in items {
                words_from_the_data(i, key, under_measures, out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                words_from_the_data(x, k, under_measures || k == "measures", out);
            }
        }
        _ => {}
    }
}

/// Each report's visible text, less its glossary, names no abbreviation or test that its
/// glossary does not define.
fn glossaries_cover_their_reports(dir: &Path) {
    let abbreviation =
        regex::Regex::new(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b").unwrap();
    let tags = regex::Regex::new(r"(?s)<style.*?</style>|<svg.*?</svg>|<[^>]*>").unwrap();
    let term = regex::Regex::new(r"(?s)<(?:dt|dfn)>(.*?)</(?:dt|dfn)>").unwrap();
    // R calls quoted in the methods ("wilcox.test(paired = TRUE)") are code.
    let code = regex::Regex::new(r"[\w.]+\([^)]*\)").unwrap();
    let names: Vec<(&str, regex::Regex)> = TEST_NAMES
        .iter()
        .map(|n| {
            let r = regex::Regex::new(&format!(r"\b{}\b", regex::escape(n))).unwrap();
            (*n, r)
        })
        .collect();
    for audience in AUDIENCES {
        let page = html(dir, audience);
        let Some(at) = page.find(r#"id="glossary""#) else {
            panic!("{audience}: no glossary");
        };
        let end = ["</section>", "</aside>"]
            .iter()
            .filter_map(|e| page[at..].find(e))
            .min()
            .unwrap();
        let glossary = &page[at..at + end];
        let terms: Vec<String> = term
            .captures_iter(glossary)
            .map(|c| c[1].replace("&amp;", "&"))
            .collect();
        assert!(!terms.is_empty(), "{audience}: an empty glossary");
        let body = format!("{}{}", &page[..at], &page[at + end..]);
        let text = tags.replace_all(&body, " ").replace("&amp;", "&");
        let text = code.replace_all(&text, " ");
        let mut data = String::new();
        words_from_the_data(&json(dir, audience), "", false, &mut data);
        let defined = |word: &str| terms.iter().any(|t| t.contains(word));
        let mut missing: Vec<String> = Vec::new();
        for m in abbreviation.find_iter(&text) {
            let word = m.as_str();
            // The period ("Q2"), Roman numerals ("type II") and the country are not
            // abbreviations a reader needs explained.
            let period = (word.len() == 2 && word.starts_with('Q'))
                || word.chars().all(|c| "IVX".contains(c))
                || word == "UK";
            if !defined(word)
                && !data.contains(word)
                && !period
                && !missing.contains(&word.to_owned())
            {
                missing.push(word.to_owned());
            }
        }
        for (name, used) in &names {
            if used.is_match(&text) && !defined(name) && !missing.contains(&(*name).to_owned()) {
                missing.push((*name).to_owned());
            }
        }
        assert!(
            missing.is_empty(),
            "{audience} ({}): used but not in its glossary: {missing:?}\nglossary: {terms:?}",
            dir.display()
        );
    }
}

#[test]
fn every_abbreviation_and_test_a_report_uses_is_in_its_glossary() {
    glossaries_cover_their_reports(&sample_reports());
    glossaries_cover_their_reports(&handmade_reports());
}
