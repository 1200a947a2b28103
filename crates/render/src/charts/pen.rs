//! Drawing on plotters' SVG backend: text, lines (solid, dashed or dotted, so that series
//! still differ in greyscale), rectangles, markers and polygons in pixel coordinates, and
//! linear scales with round ticks. Each chart lays itself out with these; plotters writes
//! and escapes the SVG.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::theme::{self, Colour, FONT};
pub use super::theme::{Dash, Marker};
use crate::RenderError;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws a `width` x `height` SVG with `f`.
pub fn draw(
    width: u32,
    height: u32,
    f: impl FnOnce(&Pen) -> Result<(), String>,
) -> Result<String, RenderError> {
    theme::register_fonts();
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        area.fill(&WHITE).map_err(chart_error)?;
        let pen = Pen { area };
        f(&pen).map_err(RenderError::Chart)?;
        pen.area.present().map_err(chart_error)?;
    }
    Ok(buf)
}

fn chart_error(e: impl std::fmt::Display) -> RenderError {
    RenderError::Chart(e.to_string())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub struct Pen<'a> {
    area: Area<'a>,
}

impl std::fmt::Debug for Pen<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pen").finish_non_exhaustive()
    }
}

/// Text settings.
#[derive(Clone, Copy)]
pub struct Type {
    pub size: f64,
    pub bold: bool,
    pub colour: Colour,
    pub h: HPos,
    pub v: VPos,
}

impl std::fmt::Debug for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Type")
            .field("size", &self.size)
            .field("bold", &self.bold)
            .field("colour", &self.colour)
            .finish_non_exhaustive()
    }
}

impl Type {
    pub fn new(size: f64) -> Self {
        Self {
            size,
            bold: false,
            colour: theme::INK,
            h: HPos::Left,
            v: VPos::Center,
        }
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn colour(mut self, c: Colour) -> Self {
        self.colour = c;
        self
    }
    pub fn right(mut self) -> Self {
        self.h = HPos::Right;
        self
    }
    pub fn centre(mut self) -> Self {
        self.h = HPos::Center;
        self
    }
    pub fn top(mut self) -> Self {
        self.v = VPos::Top;
        self
    }
    pub fn bottom(mut self) -> Self {
        self.v = VPos::Bottom;
        self
    }

    fn style(&self) -> TextStyle<'static> {
        // plotters writes font-size as size / 1.24.
        let style = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        (FONT, self.size * 1.24, style)
            .into_font()
            .color(&rgb(self.colour))
            .pos(Pos::new(self.h, self.v))
    }
}

pub fn rgb(c: Colour) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

impl Pen<'_> {
    pub fn text(&self, s: &str, x: i32, y: i32, t: Type) -> Result<(), String> {
        if s.is_empty() {
            return Ok(());
        }
        self.area
            .draw(&Text::new(s.to_owned(), (x, y), t.style()))
            .map_err(err)
    }

    /// Width of `s` in pixels as set in the chart font.
    pub fn width(&self, s: &str, t: Type) -> i32 {
        self.area.estimate_text_size(s, &t.style()).map_or(
            (s.chars().count() as f64 * t.size * 0.55) as i32,
            |(w, _)| w as i32,
        )
    }

    /// `s` cut with an ellipsis to fit `max` pixels.
    pub fn fit(&self, s: &str, max: i32, t: Type) -> String {
        if self.width(s, t) <= max {
            return s.to_owned();
        }
        let chars: Vec<char> = s.chars().collect();
        for keep in (1..chars.len()).rev() {
            let cut: String = chars[..keep]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_owned()
                + "…";
            if self.width(&cut, t) <= max {
                return cut;
            }
        }
        "…".to_owned()
    }

    /// `s` broken into at most `lines` lines of `max` pixels, the last cut if need be.
    pub fn wrap(&self, s: &str, max: i32, lines: usize, t: Type) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut current = String::new();
        let words: Vec<&str> = s.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let candidate = if current.is_empty() {
                (*word).to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, t) <= max || current.is_empty() {
                current = candidate;
            } else {
                out.push(std::mem::take(&mut current));
                if out.len() == lines - 1 {
                    let rest = words[i..].join(" ");
                    out.push(self.fit(&rest, max, t));
                    return out;
                }
                current = (*word).to_owned();
            }
        }
        if !current.is_empty() {
            out.push(self.fit(&current, max, t));
        }
        out
    }

    pub fn line(
        &self,
        points: &[(i32, i32)],
        c: Colour,
        width: u32,
        dash: Dash,
    ) -> Result<(), String> {
        let style = ShapeStyle {
            color: rgb(c).to_rgba(),
            filled: false,
            stroke_width: width,
        };
        match dash.pattern(width) {
            None => self
                .area
                .draw(&PathElement::new(points.to_vec(), style))
                .map_err(err),
            Some((on, off)) => {
                for seg in dashes(points, on, off) {
                    self.area.draw(&PathElement::new(seg, style)).map_err(err)?;
                }
                Ok(())
            }
        }
    }

    pub fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, c: Colour) -> Result<(), String> {
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], rgb(c).filled()))
            .map_err(err)
    }

    pub fn rect_outline(
        &self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        c: Colour,
        width: u32,
    ) -> Result<(), String> {
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                rgb(c).stroke_width(width),
            ))
            .map_err(err)
    }

    /// A filled polygon at some opacity (confidence bands, radar areas).
    pub fn polygon(&self, points: &[(i32, i32)], c: Colour, opacity: f64) -> Result<(), String> {
        self.area
            .draw(&Polygon::new(points.to_vec(), rgb(c).mix(opacity).filled()))
            .map_err(err)
    }

    pub fn marker(&self, m: Marker, x: i32, y: i32, r: i32, c: Colour) -> Result<(), String> {
        let fill = rgb(c).filled();
        let white = WHITE.filled();
        let outline = rgb(c).stroke_width(2);
        let d = |pts: Vec<(i32, i32)>, style: ShapeStyle| {
            self.area.draw(&Polygon::new(pts, style)).map_err(err)
        };
        match m {
            Marker::Circle => self
                .area
                .draw(&Circle::new((x, y), r.unsigned_abs(), fill))
                .map_err(err),
            Marker::HollowCircle => {
                self.area
                    .draw(&Circle::new((x, y), r.unsigned_abs(), white))
                    .map_err(err)?;
                self.area
                    .draw(&Circle::new((x, y), r.unsigned_abs(), outline))
                    .map_err(err)
            }
            Marker::Square => self.rect(x - r, y - r, x + r, y + r, c),
            Marker::HollowSquare => {
                self.rect(x - r, y - r, x + r, y + r, (255, 255, 255))?;
                self.rect_outline(x - r, y - r, x + r, y + r, c, 2)
            }
            Marker::Triangle => d(
                vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
                fill,
            ),
            Marker::Diamond => d(
                vec![
                    (x, y - r - 1),
                    (x + r + 1, y),
                    (x, y + r + 1),
                    (x - r - 1, y),
                ],
                fill,
            ),
            Marker::HollowDiamond => {
                let pts = vec![
                    (x, y - r - 1),
                    (x + r + 1, y),
                    (x, y + r + 1),
                    (x - r - 1, y),
                ];
                d(pts.clone(), white)?;
                let mut closed = pts;
                closed.push((x, y - r - 1));
                self.area
                    .draw(&PathElement::new(closed, outline))
                    .map_err(err)
            }
        }
    }

    /// A horizontal interval with end caps.
    pub fn whisker_h(&self, x0: i32, x1: i32, y: i32, c: Colour, width: u32) -> Result<(), String> {
        self.line(&[(x0, y), (x1, y)], c, width, Dash::Solid)?;
        self.line(&[(x0, y - 4), (x0, y + 4)], c, width, Dash::Solid)?;
        self.line(&[(x1, y - 4), (x1, y + 4)], c, width, Dash::Solid)
    }

    /// A vertical interval with end caps.
    pub fn whisker_v(&self, x: i32, y0: i32, y1: i32, c: Colour, width: u32) -> Result<(), String> {
        self.line(&[(x, y0), (x, y1)], c, width, Dash::Solid)?;
        self.line(&[(x - 4, y0), (x + 4, y0)], c, width, Dash::Solid)?;
        self.line(&[(x - 4, y1), (x + 4, y1)], c, width, Dash::Solid)
    }
}

/// The "on" pieces of a dashed polyline.
fn dashes(points: &[(i32, i32)], on: f64, off: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut drawing = true;
    let mut left = on;
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (
            (f64::from(w[0].0), f64::from(w[0].1)),
            (f64::from(w[1].0), f64::from(w[1].1)),
        );
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len == 0.0 {
            continue;
        }
        let mut pos = 0.0;
        if drawing && current.is_empty() {
            current.push(a);
        }
        while pos < len {
            let step = left.min(len - pos);
            pos += step;
            left -= step;
            let p = (a.0 + (b.0 - a.0) * pos / len, a.1 + (b.1 - a.1) * pos / len);
            if drawing {
                current.push(p);
            }
            if left <= 1e-9 {
                if drawing {
                    out.push(std::mem::take(&mut current));
                } else {
                    current = vec![p];
                }
                drawing = !drawing;
                left = if drawing { on } else { off };
            }
        }
    }
    if drawing && current.len() > 1 {
        out.push(current);
    }
    out.into_iter()
        .map(|seg| {
            seg.into_iter()
                .map(|(x, y)| (x.round() as i32, y.round() as i32))
                .collect()
        })
        .collect()
}

/// A linear map from data to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    p0: i32,
    p1: i32,
}

impl Scale {
    pub fn new(lo: f64, hi: f64, p0: i32, p1: i32) -> Self {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        Self { lo, hi, p0, p1 }
    }

    pub fn at(&self, v: f64) -> i32 {
        let t = (v - self.lo) / (self.hi - self.lo);
        (f64::from(self.p0) + t * f64::from(self.p1 - self.p0)).round() as i32
    }

    pub fn contains(&self, v: f64) -> bool {
        v >= self.lo - 1e-9 && v <= self.hi + 1e-9
    }
}

/// Round ticks covering `[lo, hi]`: (ticks, step). The ends are widened to a tick.
pub fn ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let n = ((last - first) / step).round() as usize;
    let ticks = (0..=n).map(|i| clean(first + i as f64 * step)).collect();
    (ticks, step)
}

/// Ticks for a count axis from zero: whole-number steps (1, 2 or 5 times a power of
/// ten), never "2.5 people".
pub fn count_ticks(top: f64, target: usize) -> (Vec<f64>, f64) {
    let raw = (top.max(1.0) / target.max(1) as f64).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let n = (top.max(1.0) / step).ceil() as usize;
    ((0..=n).map(|i| i as f64 * step).collect(), step)
}

/// Decimals that show a tick step exactly.
pub fn step_decimals(step: f64) -> usize {
    let mut dp = 0;
    while dp < 4
        && ((step * 10f64.powi(dp as i32)).round() - step * 10f64.powi(dp as i32)).abs() > 1e-9
    {
        dp += 1;
    }
    dp
}

fn clean(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ticks() {
        assert_eq!(
            ticks(0.0, 10.0, 5),
            (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 2.0)
        );
        let (t, step) = ticks(16.9, 21.3, 5);
        assert_eq!(step, 1.0);
        assert_eq!(t.first(), Some(&16.0));
        assert_eq!(t.last(), Some(&22.0));
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(2.0), 0);
        let (t, _) = ticks(-0.3, 1.7, 4);
        assert_eq!(t, vec![-0.5, 0.0, 0.5, 1.0, 1.5, 2.0]);
    }

    #[test]
    fn dashes_cover_the_line_in_pieces() {
        let d = dashes(&[(0, 0), (20, 0)], 4.0, 3.0);
        assert_eq!(d[0], vec![(0, 0), (4, 0)]);
        assert_eq!(d[1], vec![(7, 0), (11, 0)]);
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn scales_map_ends() {
        let s = Scale::new(0.0, 10.0, 100, 300);
        assert_eq!(s.at(0.0), 100);
        assert_eq!(s.at(5.0), 200);
        assert_eq!(s.at(10.0), 300);
    }
}
