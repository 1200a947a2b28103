//! The layout shared by charts of labelled rows against one numeric axis (dumbbell,
//! forest plot): a label column with each row's n, a plot area with gridlines and an
//! axis at the foot, and a note in place of any row whose figures are hidden.

use super::pen::{Dash, Pen, Scale, Type, step_decimals, ticks};
use super::theme::{self, GRID, MUTED, SMALL, TEXT, WIDTH};
use crate::format;

/// One row of a row chart.
#[derive(Debug, Clone)]
pub struct RowLabel {
    pub label: String,
    /// "n = 63", or empty for a group heading.
    pub detail: String,
    pub heading: bool,
    pub bold: bool,
}

/// Where things go.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub label_right: i32,
    pub plot_left: i32,
    pub plot_right: i32,
    pub top: i32,
    pub row_h: i32,
    pub rows: usize,
}

pub const AXIS_H: i32 = 62;

impl Layout {
    pub fn new(rows: usize, top: i32, right_margin: i32) -> Self {
        Self {
            label_right: 200,
            plot_left: 216,
            plot_right: WIDTH as i32 - right_margin,
            top,
            row_h: 36,
            rows,
        }
    }

    pub fn height(&self) -> u32 {
        (self.bottom() + AXIS_H) as u32
    }

    pub fn bottom(&self) -> i32 {
        self.top + self.row_h * self.rows as i32
    }

    /// The middle of row `i`.
    pub fn y(&self, i: usize) -> i32 {
        self.top + self.row_h * i as i32 + self.row_h / 2
    }

    /// A scale over `values` (and `always`, e.g. zero), widened to round ticks.
    pub fn scale(&self, values: &[f64], always: &[f64]) -> (Scale, Vec<f64>, usize) {
        let all: Vec<f64> = values
            .iter()
            .chain(always)
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let (t, step) = ticks(lo, hi, 5);
        let scale = Scale::new(
            t.first().copied().unwrap_or(lo),
            t.last().copied().unwrap_or(hi),
            self.plot_left,
            self.plot_right,
        );
        (scale, t, step_decimals(step))
    }

    /// Gridlines, tick labels and the axis title.
    pub fn axis(
        &self,
        pen: &Pen,
        scale: &Scale,
        ticks: &[f64],
        dp: usize,
        title: &str,
    ) -> Result<(), String> {
        let bottom = self.bottom();
        for &t in ticks {
            let x = scale.at(t);
            pen.line(&[(x, self.top - 4), (x, bottom)], GRID, 1, Dash::Solid)?;
            pen.text(
                &format::number(t, dp),
                x,
                bottom + 8,
                Type::new(SMALL).colour(MUTED).centre().top(),
            )?;
        }
        pen.line(
            &[(self.plot_left, bottom), (self.plot_right, bottom)],
            MUTED,
            1,
            Dash::Solid,
        )?;
        pen.text(
            &pen.fit(title, WIDTH as i32 - 20, Type::new(SMALL)),
            (self.plot_left + self.plot_right) / 2,
            bottom + 34,
            Type::new(SMALL).colour(theme::INK).centre().top(),
        )
    }

    /// Row labels, right-aligned in the label column.
    pub fn labels(&self, pen: &Pen, rows: &[RowLabel]) -> Result<(), String> {
        let max = self.label_right - 8;
        for (i, r) in rows.iter().enumerate() {
            let y = self.y(i);
            if r.heading {
                let t = Type::new(TEXT).bold().bottom();
                pen.text(&pen.fit(&r.label, self.plot_right - 8, t), 8, y + 8, t)?;
                continue;
            }
            let t = if r.bold {
                Type::new(TEXT).bold()
            } else {
                Type::new(TEXT)
            }
            .right();
            // A long label is set smaller before it is cut.
            let t = if pen.width(&r.label, t) > max {
                Type { size: SMALL, ..t }
            } else {
                t
            };
            if r.detail.is_empty() {
                pen.text(&pen.fit(&r.label, max, t), self.label_right, y, t)?;
            } else {
                pen.text(&pen.fit(&r.label, max, t), self.label_right, y - 8, t)?;
                pen.text(
                    &r.detail,
                    self.label_right,
                    y + 9,
                    Type::new(SMALL).colour(MUTED).right(),
                )?;
            }
        }
        Ok(())
    }

    /// The note drawn across the plot area of a row whose figures are hidden or absent.
    pub fn gap(&self, pen: &Pen, i: usize, note: &str) -> Result<(), String> {
        let t = Type::new(SMALL).colour(MUTED);
        // On white, so gridlines and the line of no change do not run through the words.
        let width = pen.width(note, t).min(self.plot_right - self.plot_left);
        let y = self.y(i);
        pen.rect(
            self.plot_left + 1,
            y - 9,
            self.plot_left + 8 + width,
            y + 9,
            (0xff, 0xff, 0xff),
        )?;
        pen.text(
            &pen.fit(note, self.plot_right - self.plot_left, t),
            self.plot_left + 4,
            self.y(i),
            t,
        )
    }
}
