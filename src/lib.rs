//! sprout: from social prescribing exports to honest impact reports.
//!
//! The data flows one way, one module per stage:
//!
//! 1. [`ingest`]: read CSV, XLSX and Parquet exports as rows of text;
//! 2. [`validate`]: check every row against the [`config`], record findings, and build
//! 3. [`tables`]: the canonical tables (clients numbered, identifiers left behind);
//! 4. [`analysis`]: compute every figure with [`stats`], [`instruments`] and [`medication`];
//! 5. [`model`]: the serialisable report model, the only thing renderers read;
//! 6. [`render`]: HTML, PDF, charts and CSV from the model;
//! 7. [`output`]: write everything atomically.
//!
//! A test (`tests/it/architecture.rs`) holds the direction: a module may use only those
//! before it in the pipeline, and no modules use each other round a circle. See
//! `ARCHITECTURE.md`.

pub use sprout_clinical::{instruments, medication};
pub use sprout_config as config;
pub use sprout_core::{clock, exit, fxhash, hash, period, privacy, text, vocab};
pub use sprout_ingest as ingest;
pub use sprout_sample as sample;
pub use sprout_stats as stats;
pub use sprout_tables as tables;
pub use sprout_validate as validate;

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod disclosure;
pub mod draft;
pub mod error;
pub mod model;
pub mod output;
pub mod progress;
pub mod render;
