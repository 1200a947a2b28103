//! Compares the figures an R script wrote to a fixture's `expected.json` with a report
//! model: each figure is a path into `report.json`, a kind and R's value.
#![allow(dead_code, clippy::unwrap_used)]

use std::fmt::Write as _;

use serde_json::Value;

/// Relative tolerance of numbers, and of p-values of at least `TINY_P`.
const REL: f64 = 1e-9;
/// Relative tolerance of p-values below `TINY_P` (R and sprout compute far tails
/// differently).
const REL_TINY_P: f64 = 1e-6;
const TINY_P: f64 = 1e-10;
/// Absolute tolerance near zero, where a relative one means nothing.
const ABS: f64 = 1e-12;

/// Asserts that every figure of `expected` (an expected.json with `r_version`,
/// `figure_count` and `figures`) matches `report`, and that there are at least `min`;
/// `source` names the file in the failure message.
pub fn assert_match(expected: &Value, report: &Value, min: usize, source: &str) {
    assert!(
        expected["r_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("R version")),
        "{source} must record the R version that made it"
    );
    let figures = expected["figures"].as_array().unwrap();
    assert_eq!(
        figures.len() as u64,
        expected["figure_count"].as_u64().unwrap()
    );
    assert!(
        figures.len() >= min,
        "only {} figures compared",
        figures.len()
    );
    let failures: Vec<String> = figures.iter().filter_map(|f| mismatch(report, f)).collect();
    if !failures.is_empty() {
        let mut message = format!(
            "{} of {} figures differ from R ({source}):\n",
            failures.len(),
            figures.len()
        );
        for f in &failures {
            writeln!(message, "  {f}").unwrap();
        }
        panic!("{message}");
    }
}

/// A field value as the selectors of expected.json spell it.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a path at the dots outside brackets.
fn segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut from) = (0usize, 0usize);
    for (i, ch) in path.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&path[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[from..]);
    out
}

/// The value at a path such as `cohorts.period[dimension=site,measure=pain].cohorts[0].n`:
/// `[i]` indexes an array, `[k=v,...]` picks the one element whose fields `k` read `v`.
/// `Ok(None)` when the last object key is absent (as serde skips empty options).
pub fn resolve<'a>(root: &'a Value, path: &str) -> Result<Option<&'a Value>, String> {
    let mut v = root;
    let parts = segments(path);
    for (n, seg) in parts.iter().enumerate() {
        let last = n + 1 == parts.len();
        let (name, mut rest) = seg.split_at(seg.find('[').unwrap_or(seg.len()));
        if !name.is_empty() {
            match v.get(name) {
                Some(next) => v = next,
                None if last && v.is_object() => return Ok(None),
                None => return Err(format!("no field `{name}` at `{seg}`")),
            }
        }
        while let Some(open) = rest.strip_prefix('[') {
            let close = open
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{seg}`"))?;
            let selector = &open[..close];
            rest = &open[close + 1..];
            let items = v
                .as_array()
                .ok_or_else(|| format!("`{seg}` selects in something that is not an array"))?;
            v = if let Ok(i) = selector.parse::<usize>() {
                items
                    .get(i)
                    .ok_or_else(|| format!("index {i} out of range ({}) at `{seg}`", items.len()))?
            } else {
                let conditions: Vec<(&str, &str)> = selector
                    .split(',')
                    .map(|c| c.split_once('=').unwrap_or((c, "")))
                    .collect();
                let hits: Vec<&Value> = items
                    .iter()
                    .filter(|item| {
                        conditions
                            .iter()
                            .all(|(k, want)| item.get(k).and_then(as_text).as_deref() == Some(want))
                    })
                    .collect();
                match hits.as_slice() {
                    [one] => one,
                    _ => return Err(format!("{} elements match `[{selector}]`", hits.len())),
                }
            };
        }
    }
    Ok(Some(v))
}

fn close(got: f64, want: f64, kind: &str) -> bool {
    let rel = if kind == "p" && want.abs() < TINY_P {
        REL_TINY_P
    } else {
        REL
    };
    let diff = (got - want).abs();
    diff <= ABS || diff <= rel * got.abs().max(want.abs())
}

/// Why one figure does not match, or `None` when it does.
pub fn mismatch(report: &Value, figure: &Value) -> Option<String> {
    let path = figure["path"].as_str().unwrap();
    let kind = figure["kind"].as_str().unwrap();
    let want = &figure["value"];
    let got = match resolve(report, path) {
        Ok(v) => v,
        Err(e) => return Some(format!("{path}: R {want} ({kind}), sprout: {e}")),
    };
    let ok = match (kind, got) {
        ("null", None) => true,
        ("null", Some(v)) => v.is_null(),
        (_, None) => false,
        ("count", Some(v)) => v.as_u64().is_some() && v.as_u64() == want.as_u64(),
        ("len", Some(v)) => v.as_array().map(|a| a.len() as u64) == want.as_u64(),
        ("bool" | "str", Some(v)) => v == want,
        ("num" | "p", Some(v)) => match (v.as_f64(), want.as_f64()) {
            (Some(g), Some(w)) => close(g, w, kind),
            _ => false,
        },
        (other, _) => panic!("unknown kind `{other}` in expected.json at {path}"),
    };
    if ok {
        return None;
    }
    let shown = match (kind, got) {
        (_, None) => "absent".to_owned(),
        ("len", Some(Value::Array(a))) => format!("length {}", a.len()),
        (_, Some(v)) => v.to_string(),
    };
    let rel = match (got.and_then(Value::as_f64), want.as_f64()) {
        (Some(g), Some(w)) if kind == "num" || kind == "p" => {
            format!(
                " (relative difference {:.2e})",
                (g - w).abs() / w.abs().max(g.abs())
            )
        }
        _ => String::new(),
    };
    Some(format!("{path}: R {want} ({kind}), sprout {shown}{rel}"))
}
