//! The one look of every chart: the Okabe-Ito colour-blind-safe palette, each series also
//! told apart by marker and dash so that greyscale print still reads, the report's font,
//! and sizes that fit an A4 text column and a screen.

use std::sync::Once;

use plotters::style::FontStyle;

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

impl Dash {
    /// The dash and gap lengths of a line `width` wide; `None` for a solid line.
    pub(super) fn pattern(self, width: u32) -> Option<(f64, f64)> {
        let w = f64::from(width.max(1));
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((4.0 * w + 2.0, 3.0 * w)),
            Dash::Dotted => Some((w, 2.0 * w + 1.0)),
        }
    }
}

/// Marker shapes, so that series differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    HollowCircle,
    Square,
    /// An estimate without an interval, where a filled square has one.
    HollowSquare,
    Triangle,
    Diamond,
    HollowDiamond,
}

/// An sRGB colour.
pub type Colour = (u8, u8, u8);

/// The family every chart, page and PDF is set in (SIL Open Font Licence).
pub const FONT: &str = "Atkinson Hyperlegible";
/// What a stand-alone SVG falls back to where the font is not installed.
pub const FONT_STACK: &str = "'Atkinson Hyperlegible', Arial, Helvetica, sans-serif";

pub static REGULAR: &[u8] =
    include_bytes!("../../../../assets/fonts/AtkinsonHyperlegible-Regular.ttf");
pub static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/AtkinsonHyperlegible-Bold.ttf");

/// Registers the font with plotters once, so that text is measured as it will be set.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, BOLD);
    });
}

/// Width of every chart in pixels: an A4 text column (170 mm) prints it at 94%, so 13 px
/// text is still 9 pt on paper.
pub const WIDTH: u32 = 680;

/// Text sizes in pixels.
pub const TEXT: f64 = 14.0;
pub const SMALL: f64 = 13.0;

/// Body text (contrast 16:1 on white).
pub const INK: Colour = (0x1f, 0x1f, 0x1f);
/// Axis labels and notes (contrast 7:1 on white).
pub const MUTED: Colour = (0x50, 0x50, 0x50);
/// Gridlines.
pub const GRID: Colour = (0xdd, 0xdd, 0xdd);
/// The line of no change.
pub const ZERO: Colour = (0x33, 0x33, 0x33);
/// Connecting lines and faint fills.
pub const LIGHT: Colour = (0xbb, 0xbb, 0xbb);

// Okabe and Ito (2008), "Color Universal Design".
pub const BLUE: Colour = (0x00, 0x72, 0xb2);
pub const VERMILLION: Colour = (0xd5, 0x5e, 0x00);
pub const GREEN: Colour = (0x00, 0x9e, 0x73);
pub const PURPLE: Colour = (0xcc, 0x79, 0xa7);
pub const ORANGE: Colour = (0xe6, 0x9f, 0x00);
pub const SKY: Colour = (0x56, 0xb4, 0xe9);
pub const BLACK: Colour = (0x00, 0x00, 0x00);

/// How the n-th series of a chart is drawn: colour, marker and dash together.
#[derive(Debug, Clone, Copy)]
pub struct Series {
    pub colour: Colour,
    pub marker: Marker,
    pub dash: Dash,
}

const SERIES: [Series; 6] = [
    Series {
        colour: BLUE,
        marker: Marker::Circle,
        dash: Dash::Solid,
    },
    Series {
        colour: VERMILLION,
        marker: Marker::Triangle,
        dash: Dash::Dashed,
    },
    Series {
        colour: GREEN,
        marker: Marker::Square,
        dash: Dash::Dotted,
    },
    Series {
        colour: PURPLE,
        marker: Marker::Diamond,
        dash: Dash::Solid,
    },
    Series {
        colour: ORANGE,
        marker: Marker::HollowCircle,
        dash: Dash::Dashed,
    },
    Series {
        colour: SKY,
        marker: Marker::HollowDiamond,
        dash: Dash::Dotted,
    },
];

pub fn series(i: usize) -> Series {
    SERIES[i % SERIES.len()]
}

/// The overall line among cohorts: black, solid, heavier.
pub const OVERALL: Series = Series {
    colour: BLACK,
    marker: Marker::Circle,
    dash: Dash::Solid,
};

/// `#rrggbb`.
pub fn hex(c: Colour) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
