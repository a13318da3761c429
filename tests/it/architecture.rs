//! The layering rules of ARCHITECTURE.md, checked on the source so they stay true:
//! - no import circle between two files of `src/`;
//! - `web` and the command line (`src/main.rs`, `src/cli.rs`, `src/harvest_cli.rs`) never
//!   reach `store` or `state`: they call services;
//! - the web kernel imports no handler or view of `web`;
//! - SPARQL text the code sends to the store lives in `store/queries.rs` only.
//!
//! The import graph is read from the code's own paths (`use crate::…`, `super::…`, `self::…`,
//! and paths written inline), resolved to the file of the module they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, by its path relative to `src/`.
fn files() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&src(), &src(), &mut out);
    out
}

/// The module path of a library file (`web/kernel/mod.rs` → `web::kernel`); `None` for the
/// binary's files.
fn module_of(file: &str) -> Option<Vec<String>> {
    if matches!(file, "main.rs" | "cli.rs" | "harvest_cli.rs") {
        return None;
    }
    let stem = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    Some(parts)
}

/// The code without comments and string or character literals (so that a path in a doc
/// comment or a message is not read as an import).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r'
            && i + 1 < b.len()
            && (b[i + 1] == b'"' || b[i + 1] == b'#')
            && (i == 0 || !(b[i - 1] as char).is_alphanumeric())
        {
            let mut hashes = 0;
            let mut j = i + 1;
            while j < b.len() && b[j] == b'#' {
                hashes += 1;
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                j += 1;
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                i = j + close.len();
                out.push_str("\"\"");
            } else {
                out.push('r');
                i += 1;
            }
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // a char literal ('a', '\n', '\u{…}'), not a lifetime
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Expands a `use` tree (`crate::{a, b::{c, d}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.split(" as ").next().unwrap_or(tree).trim().to_owned()] };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(|x| if x == "self" { prefix.to_owned() } else { format!("{prefix}::{x}") }))
        .collect()
}

/// The paths a file names, each with the module it is written in (inline `mod x { … }`
/// blocks included).
fn paths_in(file: &str, text: &str) -> Vec<(Vec<String>, String)> {
    let code = code_only(text);
    let base = module_of(file).unwrap_or_default();
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let word = regex::Regex::new(
        r"(?s)\buse\s+([^;]+);|\bmod\s+([a-z_][a-z0-9_]*)\s*\{|\{|\}|\b((?:crate|super|self|vardkatalog)(?:::[A-Za-z_][A-Za-z0-9_]*)+)",
    )
    .unwrap();
    for m in word.captures_iter(&code) {
        let module: Vec<String> = base.iter().cloned().chain(stack.iter().map(|(n, _)| n.clone())).collect();
        if let Some(tree) = m.get(1) {
            for p in expand(tree.as_str()) {
                out.push((module.clone(), p));
            }
        } else if let Some(name) = m.get(2) {
            depth += 1;
            stack.push((name.as_str().to_owned(), depth));
        } else if m.get(0).is_some_and(|x| x.as_str() == "{") {
            depth += 1;
        } else if m.get(0).is_some_and(|x| x.as_str() == "}") {
            if stack.last().is_some_and(|(_, d)| *d == depth) {
                stack.pop();
            }
            depth = depth.saturating_sub(1);
        } else if let Some(p) = m.get(3) {
            out.push((module, p.as_str().to_owned()));
        }
    }
    out
}

/// The absolute module path a path names, from the module it is written in.
fn absolute(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut segs = path.split("::");
    let mut here: Vec<String> = match segs.next()? {
        "crate" | "vardkatalog" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        _ => return None,
    };
    for s in segs {
        if s == "super" {
            here.pop()?;
        } else {
            here.push(s.to_owned());
        }
    }
    Some(here)
}

/// The file of the longest module prefix of `path` that is a file of `src/`.
fn file_of(path: &[String], modules: &BTreeMap<Vec<String>, String>) -> Option<String> {
    (1..=path.len()).rev().find_map(|n| modules.get(&path[..n]).cloned())
}

struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn graph() -> Graph {
    let files = files();
    let modules: BTreeMap<Vec<String>, String> =
        files.keys().filter_map(|f| module_of(f).filter(|m| !m.is_empty()).map(|m| (m, f.clone()))).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &files {
        let entry = edges.entry(file.clone()).or_default();
        for (module, path) in paths_in(file, text) {
            if let Some(target) = absolute(&module, &path).and_then(|abs| file_of(&abs, &modules))
                && target != *file
            {
                entry.insert(target);
            }
        }
    }
    Graph { edges }
}

/// Strongly connected components with more than one file (Tarjan).
fn circles(g: &Graph) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        on: BTreeSet<&'a str>,
        stack: Vec<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.edges.get(v).into_iter().flatten() {
            if !t.index.contains_key(w.as_str()) {
                visit(t, w);
                let lw = t.low[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w.as_str()) {
                let iw = t.index[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T { g, index: BTreeMap::new(), low: BTreeMap::new(), on: BTreeSet::new(), stack: Vec::new(), next: 0, out: Vec::new() };
    for v in g.edges.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn there_is_no_import_circle() {
    let g = graph();
    let circles = circles(&g);
    let described: Vec<String> = circles
        .iter()
        .map(|c| {
            let arrows: Vec<String> =
                c.iter().flat_map(|f| g.edges[f].iter().filter(|t| c.contains(t)).map(move |t| format!("{f} → {t}"))).collect();
            format!("{}\n    {}", c.join(", "), arrows.join("\n    "))
        })
        .collect();
    assert!(circles.is_empty(), "import circles:\n{}", described.join("\n"));
}

#[test]
fn the_web_and_the_command_line_reach_only_services() {
    let g = graph();
    let outer = |f: &str| f.starts_with("web/") || matches!(f, "main.rs" | "cli.rs" | "harvest_cli.rs");
    let inner = |f: &str| f.starts_with("store/") || f.starts_with("state/");
    let mut bad: Vec<String> = Vec::new();
    for (file, targets) in &g.edges {
        if outer(file) {
            bad.extend(targets.iter().filter(|t| inner(t)).map(|t| format!("{file} → {t}")));
        }
    }
    assert!(bad.is_empty(), "web or the command line imports store or state:\n{}", bad.join("\n"));
}

#[test]
fn the_web_kernel_imports_no_handler_or_view() {
    let g = graph();
    let mut bad: Vec<String> = Vec::new();
    for (file, targets) in &g.edges {
        if file.starts_with("web/kernel/") {
            bad.extend(targets.iter().filter(|t| t.starts_with("web/") && !t.starts_with("web/kernel/")).map(|t| format!("{file} → {t}")));
        }
    }
    assert!(bad.is_empty(), "the kernel imports the rest of web:\n{}", bad.join("\n"));
}

/// String literals (outside unit tests) that hold a SPARQL query form followed by a group.
fn sparql_literals(text: &str) -> Vec<String> {
    let query = regex::Regex::new(r#""[^"\n]*\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[^"\n]*\{"#).unwrap();
    let body = text.split("#[cfg(test)]").next().unwrap_or_default();
    query.find_iter(body).map(|m| m.as_str().chars().take(80).collect()).collect()
}

#[test]
fn sparql_text_lives_in_store_queries() {
    // the queries `/sparql` shows people as examples are that page's content, not queries the
    // code sends
    // store/queries/ holds the remote store's query text beside the embedded one's
    let allowed = |file: &str| file == "store/queries.rs" || file.starts_with("store/queries/") || file == "web/views/examples.rs";
    let files = files();
    assert!(sparql_literals(&files["store/queries.rs"]).len() >= 10, "the check finds the queries where they are");
    let mut bad = Vec::new();
    for (file, text) in &files {
        if !allowed(file) {
            bad.extend(sparql_literals(text).into_iter().map(|q| format!("{file}: {q}")));
        }
    }
    assert!(bad.is_empty(), "SPARQL text outside store/queries.rs and store/queries/:\n{}", bad.join("\n"));
}

#[test]
fn the_reader_of_the_graph_sees_a_planted_circle_and_a_planted_reach() {
    // the checks above cannot pass by reading nothing: a circle and a forbidden import planted
    // in text are found
    let planted =
        "use crate::store::Filter;\nmod inner {\n    use super::super::kernel::X;\n}\nfn f() { crate::state::State::temporary(); }\n";
    let paths: Vec<String> =
        paths_in("web/pages.rs", planted).into_iter().filter_map(|(m, p)| absolute(&m, &p).map(|a| a.join("::"))).collect();
    assert!(paths.contains(&"store::Filter".to_owned()), "{paths:?}");
    assert!(paths.contains(&"web::kernel::X".to_owned()), "super inside an inline module: {paths:?}");
    assert!(paths.contains(&"state::State::temporary".to_owned()), "{paths:?}");
    let g = Graph {
        edges: BTreeMap::from([
            ("a.rs".to_owned(), BTreeSet::from(["b.rs".to_owned()])),
            ("b.rs".to_owned(), BTreeSet::from(["a.rs".to_owned()])),
            ("c.rs".to_owned(), BTreeSet::new()),
        ]),
    };
    assert_eq!(circles(&g), vec![vec!["a.rs".to_owned(), "b.rs".to_owned()]]);
    assert_eq!(expand("crate::{a, b::{c, self}}"), vec!["crate::a", "crate::b::c", "crate::b"]);
}
