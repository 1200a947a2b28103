//! One self-contained HTML file per report, laid out by the minijinja templates from the
//! view: styles, font and charts inline, a Content-Security-Policy that forbids every
//! request, and every string escaped on the way in.

use minijinja::{Environment, UndefinedBehavior, Value, context};

use super::charts::theme;
use super::view::Document;
use super::words::Words;
use super::{RenderError, RenderOptions};
use sprout_model::ReportModel;

/// The page of one report, in the (already accessible) accent colour.
pub fn page(
    m: &ReportModel,
    doc: &Document,
    w: &Words,
    opts: &RenderOptions,
    accent: &str,
) -> Result<String, RenderError> {
    let templates = &opts.templates;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_filter("css_string", css_string);
    // The phrases are global so that imported macros see them too.
    env.add_global("w", Value::from_serialize(w.all()));
    let names = super::templates::names().filter(|n| n.ends_with(".html") || n.ends_with(".css"));
    for name in names {
        let source = templates.get(name).unwrap_or_default().to_owned();
        env.add_template_owned(name.to_owned(), source)
            .map_err(|e| template_error(templates, &e))?;
    }
    let font = |bytes: &[u8]| {
        use base64::Engine;
        format!(
            "data:font/woff2;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    };
    let ctx = context! {
        doc => Value::from_serialize(doc),
        model => Value::from_serialize(m),
        accent => accent,
        accent_soft => soften(accent),
        font_regular => font(FONT_REGULAR),
        font_bold => font(FONT_BOLD),
        font_family => theme::FONT,
        logo => opts.logo.as_ref().map(|l| l.data_uri()),
    };
    let name = format!("{}.html", doc.audience);
    let tmpl = env
        .get_template(&name)
        .map_err(|e| template_error(templates, &e))?;
    let limits = &opts.limits;
    let mut out = super::bounds::Capped::new(limits.template_bytes);
    let rendered = super::bounds::watched(&templates.describe(&name), limits, || {
        tmpl.render_captured_to(ctx, &mut out).map(|_| ())
    });
    if out.overflowed {
        return Err(RenderError::Template {
            file: templates.describe(&name),
            line: None,
            message: format!(
                "the page grew past {}, so it was stopped; a loop in the template that \
                 writes without end can cause this. If the report is simply large, raise \
                 `template_bytes` in [limits]",
                super::bounds::bytes_in_words(limits.template_bytes)
            ),
        });
    }
    rendered.map_err(|e| template_error(templates, &e))?;
    String::from_utf8(out.bytes).map_err(|e| RenderError::Template {
        file: templates.describe(&name),
        line: None,
        message: format!("the page is not text: {e}"),
    })
}

static FONT_REGULAR: &[u8] =
    include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-Regular.woff2");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-Bold.woff2");

/// A template error as file, line, what went wrong and the line of template it is on (so
/// a misspelt model field shows itself).
fn template_error(templates: &super::Templates, e: &minijinja::Error) -> RenderError {
    let name = e.name().unwrap_or("template");
    let line = e.line();
    let source_line = line
        .and_then(|l| {
            templates
                .get(name)
                .and_then(|t| t.lines().nth(l.saturating_sub(1)))
        })
        .map(|s| format!(" in `{}`", s.trim()))
        .unwrap_or_default();
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    RenderError::Template {
        file: templates.describe(name),
        line,
        message: format!("{message}{source_line}"),
    }
}

/// A string for CSS `content: "..."`: quotes, backslashes, angle brackets and anything
/// outside printable ASCII escaped, so text from the data cannot end the string or the
/// style sheet.
fn css_string(s: String) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " .,:;()/-_+%".contains(c) {
            out.push(c);
        } else {
            // The space ends the escape and is itself consumed, so one after it survives.
            out.push_str(&format!("\\{:06x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The accent colour, darkened until it has 4.5:1 contrast on white (WCAG 2.1 AA for
/// text), with a warning when it had to be.
pub fn accessible_accent(hex: &str) -> (String, Option<String>) {
    let parse = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    let (mut r, mut g, mut b) = (parse(1), parse(3), parse(5));
    let original = contrast_on_white(r, g, b);
    if original >= 4.5 {
        return (hex.to_ascii_lowercase(), None);
    }
    while contrast_on_white(r, g, b) < 4.5 {
        r = (f64::from(r) * 0.92) as u8;
        g = (f64::from(g) * 0.92) as u8;
        b = (f64::from(b) * 0.92) as u8;
    }
    let fixed = format!("#{r:02x}{g:02x}{b:02x}");
    let warning = format!(
        "the branding colour {hex} has a contrast of {original:.1}:1 on white, below the 4.5:1 that WCAG 2.1 AA asks of text; reports use {fixed} instead"
    );
    (fixed, Some(warning))
}

fn luminance(r: u8, g: u8, b: u8) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast_on_white(r: u8, g: u8, b: u8) -> f64 {
    1.05 / (luminance(r, g, b) + 0.05)
}

/// A pale tint of the accent for backgrounds (key figures, asides).
pub fn soften(hex: &str) -> String {
    let parse = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    let mix = |c: u8| (f64::from(c) * 0.1 + 255.0 * 0.9).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(parse(1)),
        mix(parse(3)),
        mix(parse(5))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_darkened_to_pass_contrast() {
        assert_eq!(accessible_accent("#1b6e5a"), ("#1b6e5a".into(), None));
        let (fixed, warning) = accessible_accent("#f0e442");
        assert!(warning.is_some());
        let p = |i| u8::from_str_radix(&fixed[i..i + 2], 16).expect("hex");
        assert!(contrast_on_white(p(1), p(3), p(5)) >= 4.5);
    }

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("A \"quoted\" </style><script>\\".into());
        assert!(!s[1..s.len() - 1].contains('"'));
        assert!(!s.contains('<'));
        assert!(!s.contains("\\\\"));
        assert!(s.starts_with("\"A "));
    }
}
