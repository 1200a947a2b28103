//! `manifest.json`: what produced a set of reports, so a reader can check them.

use serde::Serialize;

/// SHA-256 of some bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    pub engine: String,
    pub engine_version: String,
    pub generated_at: String,
    pub programme: String,
    pub period: crate::analysis::period::Period,
    pub cumulative: crate::analysis::period::Window,
    pub config: HashedFile,
    pub inputs: Vec<HashedFile>,
    pub disclosure: Vec<AudiencePolicy>,
    pub outputs: Vec<HashedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HashedFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudiencePolicy {
    pub audience: crate::model::Audience,
    pub policy: crate::config::DisclosurePolicy,
}
