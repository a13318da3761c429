//! Embeds catalog-seed/*.ttl into the binary, so that `serve` seeds a fresh data directory
//! without needing the source tree beside it.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=catalog-seed");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("catalog-seed");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".ttl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("/// The seed files, by name, in name order.\npub const FILES: &[(&str, &str)] = &[\n");
    for name in &files {
        println!("cargo:rerun-if-changed=catalog-seed/{name}");
        writeln!(code, "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/catalog-seed/{name}\"))),")
            .expect("writing to a string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("seed_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
