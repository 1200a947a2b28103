//! The pipeline's direction, held by a test. The data flows one way: every top-level
//! module (of `src/`, and of the workspace's crates, read as one tree of modules: see
//! [`as_one_crate`]) may use only the modules listed before it in [`LAYERS`], every crate
//! depends only on crates whose modules come before its own, and inside
//! any module no two of its submodules use each other, directly or round a circle. A new
//! top-level module must be given its place here. Test code is left out: a test may
//! reach anywhere.
//!
//! References are read from the source as written: `use` trees (grouped and nested) and
//! inline `crate::`, `super::` and `self::` paths, each resolved to the module that
//! defines what it names (through the `pub use` re-exports of a module's own file).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// The top-level modules from the first stage to the last. The statistics (`stats`) are
/// a crate of their own, and so are the modules every stage stands on (`sprout-core`:
/// `fxhash` to `period`) and the clinical knowledge (`sprout-clinical`: `instruments`,
/// `medication`).
const LAYERS: &[&str] = &[
    "stats",
    "fxhash",
    "small_str",
    "hash",
    "ids",
    "exit",
    "text",
    "vocab",
    "privacy",
    "suggest",
    "clock",
    "period",
    "tables",
    "instruments",
    "medication",
    "config",
    "ingest",
    "validate",
    "model",
    "analysis",
    "disclosure",
    "pdf",
    "render",
    "error",
    "output",
    "progress",
    "sample",
    "draft",
    "commands",
    "cli",
];

type ModPath = Vec<String>;

struct Source {
    module: ModPath,
    /// The production code: comments and `#[cfg(test)]` modules left out.
    text: String,
}

/// A crate of the workspace whose sources are read: where they are, and the module path
/// its root stands for in the one tree of modules the test builds. `sprout-core` and
/// `sprout-clinical` are collections (the root re-exports each of their modules under its
/// own name: `sprout::vocab`); every other crate is one stage (`sprout-config` is
/// `sprout::config`). `sprout-stats` is a leaf that uses no other crate, and is not read.
struct Crate {
    dir: PathBuf,
    /// The name code writes it by (`sprout_config`).
    ident: String,
    /// The module its root is (`config`), or none for a collection.
    stage: Option<String>,
}

const COLLECTIONS: &[&str] = &["core", "clinical"];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn crates() -> Vec<Crate> {
    let mut out: Vec<Crate> = std::fs::read_dir(workspace().join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            Crate {
                dir: p.join("src"),
                ident: format!("sprout_{name}"),
                stage: (!COLLECTIONS.contains(&name.as_str())).then_some(name),
            }
        })
        .collect();
    out.sort_by(|a, b| a.dir.cmp(&b.dir));
    out
}

/// Code as if the workspace were one crate: another crate's name becomes the module path
/// it stands for (`sprout_config::X` is `crate::config::X`, `sprout_core::vocab` is
/// `crate::vocab`), and a stage crate's own `crate::` its module (`crate::config::`).
fn as_one_crate(text: &str, own: Option<&str>, crates: &[Crate]) -> String {
    let mut text = match own {
        Some(stage) => Regex::new(r"\bcrate::")
            .unwrap()
            .replace_all(text, format!("crate::{stage}::").as_str())
            .into_owned(),
        None => text.to_owned(),
    };
    for c in crates {
        let to = match &c.stage {
            Some(stage) => format!("crate::{stage}"),
            None => "crate".to_owned(),
        };
        text = Regex::new(&format!(r"\b{}\b", c.ident))
            .unwrap()
            .replace_all(&text, to.as_str())
            .into_owned();
    }
    text
}

fn module_of(root: &Path, file: &Path) -> Option<ModPath> {
    let rel = file.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    match stem {
        "main" if parts.is_empty() => None,
        "lib" if parts.is_empty() => Some(parts),
        "mod" => Some(parts),
        _ => {
            parts.push(stem.to_owned());
            Some(parts)
        }
    }
}

/// The code without comment lines and without what follows `#[cfg(test)]` (test modules
/// sit at the end of a file, or in a file of their own).
fn production(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // A test-only `mod x;` declaration, or a test module to the end of the file.
            if lines.peek().is_some_and(|l| l.trim_end().ends_with(';')) {
                lines.next();
                continue;
            }
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn sources() -> Vec<Source> {
    let root = workspace().join("src");
    let mut crates = crates();
    crates.push(Crate {
        dir: workspace().join("crates/stats/src"),
        ident: "sprout_stats".to_owned(),
        stage: Some("stats".to_owned()),
    });
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    stack.extend(
        crates
            .iter()
            .filter(|c| c.ident != "sprout_stats")
            .map(|c| c.dir.clone()),
    );
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    // Files declared only under `#[cfg(test)]` are tests.
    let test_only: BTreeSet<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let re = Regex::new(r"#\[cfg\(test\)\]\s*mod (\w+);").unwrap();
            re.captures_iter(&text)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    files
        .iter()
        .filter_map(|f| {
            let (module, own) = match crates.iter().find(|c| f.starts_with(&c.dir)) {
                Some(c) => {
                    let inner = module_of(&c.dir, f)?;
                    match &c.stage {
                        Some(stage) => {
                            let mut m = vec![stage.clone()];
                            m.extend(inner);
                            (m, Some(stage.as_str()))
                        }
                        // A collection's root only declares its modules.
                        None if inner.is_empty() => return None,
                        None => (inner, None),
                    }
                }
                None => (module_of(&root, f)?, None),
            };
            if module.last().is_some_and(|m| test_only.contains(m)) {
                return None;
            }
            let text = production(&std::fs::read_to_string(f).unwrap());
            Some(Source {
                module,
                text: as_one_crate(&text, own, &crates),
            })
        })
        .collect()
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e` (aliases dropped).
fn expand(tree: &str) -> Vec<String> {
    let mut tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in ["{", "}", ",", "::"] {
        tree = tree
            .replace(&format!(" {p}"), p)
            .replace(&format!("{p} "), p);
    }
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(&tree);
        return vec![path.trim_end_matches("::").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            if p == "self" {
                vec![prefix.trim_end_matches("::").to_owned()]
            } else {
                expand(&format!("{prefix}{p}"))
            }
        })
        .collect()
}

/// Every path a file names from its own crate, as written.
fn paths(text: &str) -> Vec<String> {
    let uses = Regex::new(r"(?s)\buse\s+((?:crate|super|self)\b[^;]*);").unwrap();
    let inline = Regex::new(r"(?:^|[^$\w])((?:crate|super|self)(?:::[A-Za-z_]\w*)+)").unwrap();
    let mut out: Vec<String> = uses
        .captures_iter(text)
        .flat_map(|c| expand(&c[1]))
        .collect();
    out.extend(inline.captures_iter(text).map(|c| c[1].to_owned()));
    out
}

struct Tree {
    modules: BTreeSet<ModPath>,
    /// For each module, the names its file re-exports and the module each comes from.
    reexports: BTreeMap<ModPath, BTreeMap<String, ModPath>>,
}

impl Tree {
    fn new(sources: &[Source]) -> Self {
        let mut modules: BTreeSet<ModPath> = sources.iter().map(|s| s.module.clone()).collect();
        // The statistics crate is not read, but is a module other code names.
        modules.insert(vec!["stats".to_owned()]);
        let mut tree = Self {
            modules,
            reexports: BTreeMap::new(),
        };
        let re = Regex::new(r"(?s)\bpub(?:\([^)]*\))? use\s+([^;]*);").unwrap();
        let mut reexports = BTreeMap::new();
        for s in sources {
            let mut names = BTreeMap::new();
            for c in re.captures_iter(&s.text) {
                for path in expand(&c[1]) {
                    let path = match path.split("::").next() {
                        Some("crate" | "super" | "self") => path,
                        _ => format!("self::{path}"),
                    };
                    let Some(from) = tree.resolve(&s.module, &path) else {
                        continue;
                    };
                    if from != s.module {
                        let name = path.rsplit("::").next().unwrap_or_default().to_owned();
                        names.insert(name, from);
                    }
                }
            }
            reexports.insert(s.module.clone(), names);
        }
        tree.reexports = reexports;
        tree
    }

    /// The module a path names, from the module that writes it.
    fn resolve(&self, from: &ModPath, path: &str) -> Option<ModPath> {
        let mut segs = path.split("::");
        let mut at: ModPath = match segs.next()? {
            "crate" => Vec::new(),
            "self" => from.clone(),
            "super" => from[..from.len().checked_sub(1)?].to_vec(),
            _ => return None,
        };
        for seg in segs {
            if seg == "super" {
                at.pop();
                continue;
            }
            let mut next = at.clone();
            next.push(seg.to_owned());
            if self.modules.contains(&next) {
                at = next;
                continue;
            }
            // An item: re-exported from another module, or defined here.
            if let Some(defined) = self.reexports.get(&at).and_then(|r| r.get(seg)) {
                at = defined.clone();
            }
            break;
        }
        Some(at)
    }
}

/// Edges between sibling modules: (parent, from, to) -> where.
fn edges(sources: &[Source]) -> BTreeMap<(ModPath, String, String), BTreeSet<String>> {
    let tree = Tree::new(sources);
    let mut out: BTreeMap<(ModPath, String, String), BTreeSet<String>> = BTreeMap::new();
    for s in sources {
        for path in paths(&s.text) {
            let Some(to) = tree.resolve(&s.module, &path) else {
                continue;
            };
            let k = s.module.iter().zip(&to).take_while(|(a, b)| a == b).count();
            // Within one module, or between a module and its own ancestors: not an edge.
            if k == s.module.len() || k == to.len() {
                continue;
            }
            let place = if s.module.is_empty() {
                "lib.rs".to_owned()
            } else {
                s.module.join("::")
            };
            out.entry((s.module[..k].to_vec(), s.module[k].clone(), to[k].clone()))
                .or_default()
                .insert(format!("{place}: {path}"));
        }
    }
    out
}

#[test]
fn every_top_level_module_uses_only_the_stages_before_it() {
    let sources = sources();
    let mut unplaced = BTreeSet::new();
    let mut against = Vec::new();
    for ((parent, from, to), at) in edges(&sources) {
        if !parent.is_empty() {
            continue;
        }
        let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
        match (rank(&from), rank(&to)) {
            (Some(a), Some(b)) if b < a => {}
            (Some(_), Some(_)) => against.push(format!(
                "{from} -> {to}: {}",
                at.into_iter().collect::<Vec<_>>().join("; ")
            )),
            (a, b) => {
                if a.is_none() {
                    unplaced.insert(from);
                }
                if b.is_none() {
                    unplaced.insert(to);
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "give each top-level module its place in LAYERS: {unplaced:?}"
    );
    assert!(
        against.is_empty(),
        "modules used against the pipeline's direction:\n{}",
        against.join("\n")
    );
}

#[test]
fn no_submodules_use_each_other_round_a_circle() {
    let sources = sources();
    let mut graphs: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut evidence = BTreeMap::new();
    for ((parent, from, to), at) in edges(&sources) {
        graphs
            .entry(parent.clone())
            .or_default()
            .entry(from.clone())
            .or_default()
            .insert(to.clone());
        evidence.insert((parent, from, to), at);
    }
    let mut circles = Vec::new();
    for (parent, graph) in &graphs {
        for component in strongly_connected(graph) {
            let inside: Vec<String> = evidence
                .iter()
                .filter(|((p, a, b), _)| {
                    p == parent && component.contains(a) && component.contains(b)
                })
                .map(|((_, a, b), at)| format!("  {a} -> {b}: {}", at.iter().next().unwrap()))
                .collect();
            circles.push(format!(
                "in {}: {}\n{}",
                if parent.is_empty() {
                    "src".to_owned()
                } else {
                    parent.join("::")
                },
                component.iter().cloned().collect::<Vec<_>>().join(", "),
                inside.join("\n")
            ));
        }
    }
    assert!(
        circles.is_empty(),
        "modules in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_of_references_finds_what_it_should() {
    // The test above is only as good as its reading of the source.
    assert_eq!(
        expand("crate::a::{b, c::{d, e as f}, self}"),
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e",
            "crate::a"
        ]
    );
    let found = paths("use super::{x, y::Z};\nfn f() { crate::m::n(); $crate::no(); }\n");
    assert_eq!(found, ["super::x", "super::y::Z", "crate::m::n"]);
    let sources = sources();
    let e = edges(&sources);
    // Known edges of the pipeline are seen: validation builds the canonical tables, the
    // report's view uses its charts.
    assert!(e.contains_key(&(vec![], "validate".to_owned(), "tables".to_owned())));
    assert!(e.contains_key(&(
        vec!["render".to_owned()],
        "view".to_owned(),
        "charts".to_owned()
    )));
    assert!(e.len() > 100, "{}", e.len());
}

#[test]
fn the_crates_are_read_as_one_tree_of_modules() {
    let crates = crates();
    let text = "use sprout_tables::{Frame, TableKind};\nuse crate::names::x;\nfn f() { sprout_core::vocab::y(); }";
    assert_eq!(
        as_one_crate(text, Some("config"), &crates),
        "use crate::tables::{Frame, TableKind};\nuse crate::config::names::x;\nfn f() { crate::vocab::y(); }"
    );
    let modules: BTreeSet<ModPath> = sources().into_iter().map(|s| s.module).collect();
    for m in ["config", "ingest", "vocab", "instruments"] {
        assert!(modules.contains(&vec![m.to_owned()]), "{m} is read");
    }
}

/// The top-level modules of a crate: its stage, or a collection's modules.
fn modules_of(c: &Crate) -> Vec<String> {
    match &c.stage {
        Some(stage) => vec![stage.clone()],
        None => std::fs::read_dir(&c.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .map(|n| n.trim_end_matches(".rs").to_owned())
            .filter(|n| n != "lib")
            .collect(),
    }
}

#[test]
fn every_crate_depends_only_on_crates_before_it() {
    let rank = |m: &str| {
        LAYERS
            .iter()
            .position(|l| *l == m)
            .unwrap_or_else(|| panic!("module {m} has no place in LAYERS"))
    };
    let crates = crates();
    let dependency = Regex::new(r"(?m)^sprout-(\w+)").unwrap();
    let mut wrong = Vec::new();
    for c in &crates {
        let own = modules_of(c);
        let first = own.iter().map(|m| rank(m)).min().unwrap();
        let manifest = std::fs::read_to_string(c.dir.with_file_name("Cargo.toml")).unwrap();
        let deps = manifest
            .split("\n[")
            .find(|s| s.starts_with("dependencies]"))
            .unwrap_or_default();
        for dep in dependency.captures_iter(deps) {
            let last = match crates
                .iter()
                .find(|d| d.ident == format!("sprout_{}", &dep[1]))
            {
                Some(d) => modules_of(d).iter().map(|m| rank(m)).max().unwrap(),
                None => rank(&dep[1]),
            };
            if last >= first {
                wrong.push(format!("{} depends on sprout-{}", c.ident, &dep[1]));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "crates depending on later stages: {wrong:?}"
    );
}

/// The strongly connected components of more than one module (Tarjan).
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let l = s.low[w].min(s.low[v]);
                s.low.insert(v, l);
            } else if s.on.contains(w) {
                let l = s.index[w].min(s.low[v]);
                s.low.insert(v, l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                component.insert(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}
