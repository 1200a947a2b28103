//! `manifest.json`: what produced a set of reports, so a reader can check them.

use serde::Serialize;

/// The outputs a `manifest.json` lists (none if it cannot be read).
pub fn listed_outputs(path: &std::path::Path) -> Vec<String> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|v| {
            v.get("outputs")?.as_array().map(|list| {
                list.iter()
                    .filter_map(|o| o.get("path")?.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    pub engine: String,
    pub engine_version: String,
    pub generated_at: String,
    pub programme: String,
    pub period: crate::period::Period,
    pub cumulative: crate::period::Window,
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
