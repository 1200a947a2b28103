//! sprout: from social prescribing exports to honest impact reports.
//!
//! The data flows one way, one crate per stage, and this package is the application on
//! top (the command line, its commands, `sprout init` and the writing of output):
//!
//! 1. [`config`]: `programme.toml` read and resolved (`sprout-config`);
//! 2. [`ingest`]: CSV, XLSX and Parquet exports read as rows of text (`sprout-ingest`);
//! 3. [`validate`]: every row checked, findings recorded, and the [`tables`] built: the
//!    canonical tables, clients numbered, identifiers left behind (`sprout-validate`,
//!    `sprout-tables`);
//! 4. [`analysis`]: every figure computed with [`stats`], [`instruments`] and
//!    [`medication`] into the [`model`], the plain data renderers read
//!    (`sprout-analysis`, `sprout-model`);
//! 5. [`disclosure`]: each audience's copy of the model (`sprout-disclosure`);
//! 6. [`render`]: HTML, PDF, charts, CSV and XLSX as bytes (`sprout-render`);
//! 7. [`output`]: everything written atomically.
//!
//! Each stage's crate depends only on the crates before it, which Cargo and a test
//! (`tests/it/architecture.rs`) hold. The crates are re-exported here under their stage's
//! name, so `sprout::config::load` is the config crate's `load`. See `ARCHITECTURE.md`.

pub use sprout_analysis as analysis;
pub use sprout_clinical::{instruments, medication};
pub use sprout_config as config;
pub use sprout_core::{clock, exit, fxhash, hash, period, privacy, text, vocab};
pub use sprout_disclosure as disclosure;
pub use sprout_ingest as ingest;
pub use sprout_model as model;
pub use sprout_render as render;
pub use sprout_sample as sample;
pub use sprout_stats as stats;
pub use sprout_tables as tables;
pub use sprout_validate as validate;

pub mod cli;
pub mod commands;
pub mod draft;
pub mod error;
pub mod output;
pub mod progress;
