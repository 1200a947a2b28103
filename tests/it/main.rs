//! The integration tests, one binary: each module was a test file of its own, and all
//! share the helpers in `common`, `fixture` and `attacker`.

mod attacker;
mod common;
mod fixture;

mod architecture;
mod clinical_export;
mod coded_entries;
mod constant_change_properties;
mod disclosure_scan;
mod edges_export;
mod elsewhere_export;
mod foreign_export;
mod fuzz_regressions;
mod handmade_report;
mod header_mapping;
mod hostile;
mod init_cli;
mod init_clinical;
mod init_foreign;
mod layouts;
mod mapping_properties;
mod pdf_cli;
mod privacy_canary;
mod quirky_exports;
mod render_cli;
mod report_cli;
mod sample_data;
mod validate_cli;
mod walkthrough;
