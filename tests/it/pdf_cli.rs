//! The PDFs sprout typesets itself: for each audience the text holds the programme, the
//! period and the key figures read from report.json; the evaluator's report runs to
//! several pages and the trustees' to exactly two; labels full of typst syntax print
//! literally; and a broken template names its file and line.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sprout::render::format;

fn sample_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/programme.toml")
}

/// The sample's PDFs (and report.json) for 2026/27 Q2, made once for every test here.
fn sample_reports() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-cli-sample");
        let _ = std::fs::remove_dir_all(&out);
        let run = common::sprout()
            .args([
                "report",
                "--period",
                "2026/27 Q2",
                "--format",
                "pdf,json",
                "--config",
            ])
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

/// The PDF's text with all white space removed (so that line breaks and kerning do not
/// matter), and its page count.
fn pdf_text(path: &Path) -> (String, usize) {
    let bytes = std::fs::read(path).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let pages = text.matches('\u{c}').count().max(page_count(&bytes));
    (text.chars().filter(|c| !c.is_whitespace()).collect(), pages)
}

/// Pages counted from the page objects of the PDF.
fn page_count(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.get_pages().len()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn each_pdf_holds_its_programme_period_and_key_figures() {
    let dir = sample_reports();
    for audience in ["evaluator", "trustee", "commissioner"] {
        let m: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(audience).join("report.json")).unwrap(),
        )
        .unwrap();
        let (text, pages) = pdf_text(&dir.join(audience).join("report.pdf"));
        let mut expect = vec![
            m["meta"]["programme"].as_str().unwrap().to_owned(),
            m["meta"]["period"]["label"].as_str().unwrap().to_owned(),
            m["meta"]["organisation"].as_str().unwrap().to_owned(),
            format::int(
                m["people"]["period"]["supported"]["value"]
                    .as_u64()
                    .unwrap(),
            ),
        ];
        let primary = m["meta"]["primary_outcome"].as_str().unwrap();
        let c = m["outcomes"]["period"]["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["measure"] == primary && c["main"] == true)
            .unwrap();
        expect.push(format::percent(
            c["result"]["better"]["proportion"].as_f64().unwrap(),
        ));
        expect.push(format::count(
            &serde_json::from_value(c["n"].clone()).unwrap(),
        ));
        if audience != "trustee" {
            let e = &c["result"]["mean_change"];
            expect.push(format::interval(
                e["lower"].as_f64().unwrap(),
                e["upper"].as_f64().unwrap(),
                1,
            ));
        }
        for want in &expect {
            assert!(
                text.contains(&squash(want)),
                "{audience}: `{want}` is not in report.pdf"
            );
        }
        match audience {
            "trustee" => assert_eq!(pages, 2, "the trustee summary is two pages"),
            // The full report reads in an afternoon: at most 35 pages for the sample.
            "evaluator" => assert!((20..=35).contains(&pages), "evaluator: {pages} pages"),
            _ => assert!(pages > 1, "{audience}: {pages} pages"),
        }
    }
}

#[test]
fn pdfs_are_tagged_with_their_metadata() {
    let dir = sample_reports();
    for audience in ["evaluator", "trustee", "commissioner"] {
        let bytes = std::fs::read(dir.join(audience).join("report.pdf")).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let catalog = doc.catalog().unwrap();
        assert!(
            catalog.get(b"StructTreeRoot").is_ok(),
            "{audience}: not tagged"
        );
        assert!(catalog.get(b"Outlines").is_ok(), "{audience}: no outline");
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en-GB");
        let xmp = String::from_utf8_lossy(&bytes);
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{audience}: not PDF/UA-1"
        );
        assert!(
            xmp.contains("2027-01-01T00:00:00Z"),
            "{audience}: the SOURCE_DATE_EPOCH date"
        );
    }
}

#[test]
fn typst_syntax_in_a_label_prints_literally() {
    let tmp = tempfile::tempdir().unwrap();
    let label = "Ward #1$5*a*_b_[c]<d>@e\\f`g`";
    let config = common::sample_with_column(tmp.path(), 300, 4, "Hospital Trust", |i, old| {
        if i % 2 == 0 {
            label.to_owned()
        } else {
            old.to_owned()
        }
    });
    let period = common::report_into(
        &config,
        &tmp.path().join("out"),
        &["--format", "pdf", "--audience", "evaluator,commissioner"],
    );
    for audience in ["evaluator", "commissioner"] {
        let (text, _) = pdf_text(&period.join(audience).join("report.pdf"));
        assert!(
            text.contains(&squash(label)),
            "{audience}: the label is not printed as written"
        );
    }
}

/// The sample's trustee PDF for 2026/27 Q2 under `dir/out`, with `dir/mine/trustee.typ`
/// (holding `template`) in place of the built-in one.
fn trustee_pdf_with_template(dir: &std::path::Path, template: &str) -> std::process::Output {
    let mine = dir.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("trustee.typ"), template).unwrap();
    common::sprout()
        .args([
            "report",
            "--period",
            "2026/27 Q2",
            "--format",
            "pdf",
            "--audience",
            "trustee",
            "--config",
        ])
        .arg(sample_config())
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--templates")
        .arg(&mine)
        .output()
        .unwrap()
}

#[test]
fn a_broken_typst_template_names_its_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let run = trustee_pdf_with_template(
        tmp.path(),
        "#import \"shared.typ\": *\n#show: setup\n\n#doc.cover.programm\n",
    );
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("mine/trustee.typ line 4"), "{err}");
    assert!(err.contains("programm"), "{err}");
    assert!(
        !tmp.path().join("out/2026-27-Q2").exists(),
        "nothing is written"
    );
}

#[test]
fn what_pdf_ua_refuses_falls_back_to_tagged_pdf_with_a_warning() {
    // An image without alternative text is refused under PDF/UA-1.
    let tmp = tempfile::tempdir().unwrap();
    let run = trustee_pdf_with_template(
        tmp.path(),
        "#import \"shared.typ\": *\n#show: setup\n#cover(compact: true)\n#image(\"/charts/flow.svg\")\n",
    );
    common::succeeded(&run);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("written as tagged PDF rather than PDF/UA-1"),
        "{err}"
    );
    let bytes = std::fs::read(tmp.path().join("out/2026-27-Q2/trustee/report.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(
        doc.catalog().unwrap().get(b"StructTreeRoot").is_ok(),
        "still tagged"
    );
}
