//! Charts, drawn from the report model only, one function per kind, all in one theme.
//! Each comes with a title saying its message, a text alternative generated from its data
//! (what it shows and the key numbers) and the table it was drawn from. A suppressed value
//! is a gap with a note, never a zero; the same model gives the same bytes.

mod distribution;
mod dumbbell;
mod forest;
mod funnel;
mod medication;
pub mod pen;
mod radar;
mod reach;
mod rows;
mod scale_change;
pub mod theme;
mod titles;
mod trajectory;
mod trend;

pub use distribution::distribution;
pub use dumbbell::dumbbell;
pub use forest::forest;
pub use funnel::{funnel, stages as flow_stages};
pub use medication::medication;
pub use radar::radar;
pub use reach::reach;
pub use scale_change::change_on_scale;
pub use trajectory::trajectory;
pub use trend::trend;

use serde::Serialize;

use super::RenderError;
use super::doc::Table;

/// One chart: its SVG, its message, its text alternative and its data.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Unique within a report; also the file name under `charts/`.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub svg: String,
    pub table: Table,
    /// Shown under the chart: what a gap or a missing interval means.
    pub notes: Vec<String>,
}

impl Chart {
    /// Wraps plotters' SVG with an accessible name and description and a font stack.
    pub(super) fn new(
        id: &str,
        title: String,
        desc: String,
        raw_svg: String,
        table: Table,
        notes: Vec<String>,
    ) -> Result<Self, RenderError> {
        // The text alternative states the title's message, then what the chart shows.
        let desc = format!("{title}. {desc}");
        let svg = finish(&raw_svg, id, &title, &desc)?;
        Ok(Self {
            id: id.to_owned(),
            title,
            desc,
            svg,
            table,
            notes,
        })
    }
}

/// Puts `<title>` and `<desc>` first in the SVG, labels the image with them, and gives
/// text a fallback font for when the SVG is opened on its own.
fn finish(raw: &str, id: &str, title: &str, desc: &str) -> Result<String, RenderError> {
    let open_end = raw
        .find('>')
        .filter(|_| raw.starts_with("<svg "))
        .ok_or_else(|| RenderError::Chart("the SVG backend wrote no <svg> element".into()))?;
    let attrs = raw[4..open_end].trim();
    let body = &raw[open_end + 1..];
    let body = body.replace(
        &format!("font-family=\"{}\"", theme::FONT),
        &format!("font-family=\"{}\"", xml_escape(theme::FONT_STACK)),
    );
    let id = xml_escape(id);
    Ok(format!(
        "<svg {attrs} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{body}",
        xml_escape(title),
        xml_escape(desc),
    ))
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_adds_title_desc_and_role() {
        let raw = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<text font-family=\"Atkinson Hyperlegible\">a</text>\n</svg>\n";
        let out = finish(raw, "x", "A <b> & c", "d").expect("svg");
        assert!(out.starts_with("<svg width=\"10\""));
        assert!(out.contains("role=\"img\" aria-labelledby=\"x-title x-desc\""));
        assert!(out.contains("<title id=\"x-title\">A &lt;b&gt; &amp; c</title>"));
        assert!(out.contains("font-family=\"&apos;Atkinson Hyperlegible&apos;, Arial"));
    }
}
