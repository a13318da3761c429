//! The whole delivery check, as a region meets it: the command line against a downloaded Table
//! Schema (no catalogue, no data directory), the web page with a whole CSV or workbook, "did
//! you mean" for headers and codes, Table Schema's rules for extra columns (our verdicts beside
//! frictionless-py's and a CSVW validator's on the same files), every published schema usable,
//! and nothing of a checked delivery left on the server's disk or in its log.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use vardkatalog::validate::collection::{CollectionSpec, ValueType};

use crate::support::{Browser, serve_binary, shared_server};

/// A program of the Python tools `scripts/ensure-deps` installs.
fn python_tool(name: &str) -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache"));
    let path = cache.join("vardkatalog/oxigraph-venv/bin").join(name);
    assert!(path.exists(), "{} is missing: run ./scripts/ensure-deps", path.display());
    path
}

/// Runs `vardkatalog` with the data directory `data` (which need not exist).
fn vardkatalog(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .env("VARDKATALOG_DATA_DIR", data)
        .env_remove("VARDKATALOG_CONFIG")
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The published Table Schema of a collection, as a region downloads it, saved in `dir`.
fn downloaded_schema(b: &Browser, id: &str, dir: &Path) -> (PathBuf, Value) {
    let res = b.get(&format!("/datainsamling/{id}/tableschema.json"));
    assert_eq!(res.status(), 200);
    let body = res.text().unwrap();
    let path = dir.join(format!("{id}-tableschema.json"));
    std::fs::write(&path, &body).unwrap();
    (path, serde_json::from_str(&body).unwrap())
}

/// A value of a column that any Table Schema reader takes (ISO dates, a decimal point).
fn portable_value(spec: &CollectionSpec, name: &str) -> String {
    let c = spec.columns.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name}"));
    if let Some(code) = c.codes.as_ref().and_then(|codes| codes.iter().next()) {
        return code.clone();
    }
    match c.value_type {
        ValueType::Integer => {
            let low = c.minimum.unwrap_or(0.0) as i64 + 1;
            c.maximum.map_or(low, |m| low.min(m as i64)).to_string()
        }
        ValueType::Decimal => match (c.minimum, c.maximum) {
            (min, Some(max)) => ((min.unwrap_or(0.0) + max) / 2.0).to_string(),
            _ => "2.5".into(),
        },
        ValueType::Date => "2024-03-01".into(),
        ValueType::DateTime => "2024-03-01T10:00:00".into(),
        ValueType::Year => "2024".into(),
        ValueType::YearMonth => "2024-03".into(),
        ValueType::Boolean => "true".into(),
        ValueType::Time => "10:00:00".into(),
        ValueType::String => "SE2321000131-E000000000001".into(),
    }
}

fn csv(rows: &[Vec<String>]) -> String {
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n") + "\n"
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Our verdict: `check-extract --schema` (exit 0 passes, 1 fails) and its JSON report.
fn ours(schema: &Path, file: &Path) -> (bool, Value) {
    let out = vardkatalog(
        &schema.with_file_name("no-data-dir"),
        &["check-extract", "--schema", schema.to_str().unwrap(), file.to_str().unwrap(), "--json"],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    assert_eq!(out.status.code(), Some(if report["passed"] == true { 0 } else { 1 }), "{}", text(&out));
    (report["passed"] == true, report)
}

fn frictionless(tool: &Path, schema: &Path, file: &Path) -> (bool, Vec<String>) {
    // frictionless reads only paths below its working directory (without --trusted)
    let out = Command::new(tool)
        .current_dir(file.parent().unwrap())
        .args(["validate", "--json", "--schema"])
        .arg(schema.file_name().unwrap())
        .arg(file.file_name().unwrap())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("frictionless: {e}: {}", text(&out)));
    let errors = report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["errors"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()))
        .collect();
    (report["valid"] == true, errors)
}

/// The CSVW validator on `file` with the collection's published CSVW metadata (its `url`
/// pointed at the file).
fn csvw(tool: &Path, metadata: &Value, file: &Path) -> (bool, String) {
    let mut metadata = metadata.clone();
    metadata["url"] = Value::String(file.file_name().unwrap().to_str().unwrap().to_owned());
    let path = file.with_extension("csv-metadata.json");
    std::fs::write(&path, metadata.to_string()).unwrap();
    let out = Command::new(tool).arg(&path).output().unwrap();
    let said = text(&out);
    let ok = said.lines().any(|l| l.trim() == "OK");
    assert!(ok || said.lines().any(|l| l.trim() == "FAIL"), "csvwvalidate: {said}");
    (ok, said)
}

#[test]
fn our_verdicts_agree_with_frictionless_and_a_csvw_validator() {
    let (frictionless_py, csvw_validate) = (python_tool("frictionless"), python_tool("csvwvalidate"));
    let b = Browser::new(shared_server());
    let dir = tempfile::tempdir().unwrap();
    let (schema_path, schema) = downloaded_schema(&b, "vardplatser", dir.path());
    assert_eq!(schema["fieldsMatch"], "superset", "the schema says how columns are matched");
    let metadata: Value = serde_json::from_str(&b.get("/datainsamling/vardplatser/csvw-metadata.json").text().unwrap()).unwrap();
    let spec = CollectionSpec::from_table_schema(&schema).unwrap();
    let names: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
    let row: Vec<String> = names.iter().map(|n| portable_value(&spec, n)).collect();
    let with = |name: &str, value: &str| -> Vec<String> {
        let mut r = row.clone();
        r[names.iter().position(|n| n == name).unwrap()] = value.into();
        r
    };
    let required = ["disponibla_vardplatser", "overbelaggningar", "utlokaliseringar"];
    let only = |cols: &[&str]| -> Vec<Vec<String>> {
        vec![cols.iter().map(|c| c.to_string()).collect(), cols.iter().map(|c| portable_value(&spec, c)).collect()]
    };
    let renamed = |to: &str| -> Vec<Vec<String>> {
        let mut header = names.clone();
        header[0] = to.into();
        vec![header, row.clone()]
    };
    // (file, rows, passes, whether the CSVW validator checks what the file gets wrong: it
    // reads columns by position and checks neither header titles nor row lengths)
    let mut extra_header = names.clone();
    extra_header.push("kommentar".into());
    let mut extra_row = row.clone();
    extra_row.push("x".into());
    let mut short_row = row.clone();
    short_row.pop();
    let cases: Vec<(&str, Vec<Vec<String>>, bool, bool)> = vec![
        ("good", vec![names.clone(), row.clone(), row.clone()], true, true),
        ("extra-column", vec![extra_header, extra_row], false, true),
        ("code-not-in-list", vec![names.clone(), row.clone(), with("vardtyp", "akut")], false, true),
        ("code-in-another-case", vec![names.clone(), with("vardtyp", "Somatisk")], false, true),
        ("type-error", vec![names.clone(), with("overbelaggningar", "tio")], false, true),
        ("empty-required", vec![names.clone(), with("disponibla_vardplatser", "")], false, true),
        ("below-minimum", vec![names.clone(), with("disponibla_vardplatser", "-3")], false, true),
        ("only-required", only(&required), true, false),
        ("other-order", only(&["utlokaliseringar", "disponibla_vardplatser", "overbelaggningar"]), true, false),
        ("required-missing", only(&["overbelaggningar", "utlokaliseringar"]), false, false),
        ("header-as-label", renamed("Disponibla vårdplatser"), false, false),
        ("header-in-another-case", renamed("DISPONIBLA_VARDPLATSER"), false, false),
        ("short-row", vec![names.clone(), row.clone(), short_row], false, false),
    ];
    let mut disagreements = Vec::new();
    for (name, rows, passes, csvw_applies) in &cases {
        let file = dir.path().join(format!("{name}.csv"));
        std::fs::write(&file, csv(rows)).unwrap();
        let (our, report) = ours(&schema_path, &file);
        let (theirs, errors) = frictionless(&frictionless_py, &schema_path, &file);
        if our != *passes || theirs != *passes {
            disagreements
                .push(format!("{name}: expected {passes}, ours {our} ({}), frictionless {theirs} ({errors:?})", report["findings"]));
        }
        if *csvw_applies {
            let (csvw_ok, said) = csvw(&csvw_validate, &metadata, &file);
            if csvw_ok != *passes {
                disagreements.push(format!("{name}: expected {passes}, csvwvalidate {csvw_ok}: {said}"));
            }
        }
        // the same rows as a workbook (frictionless reads XLSX too)
        if matches!(*name, "good" | "extra-column" | "code-in-another-case") {
            let book = dir.path().join(format!("{name}.xlsx"));
            std::fs::write(&book, xlsx(rows)).unwrap();
            let ((our, _), (theirs, errors)) = (ours(&schema_path, &book), frictionless(&frictionless_py, &schema_path, &book));
            if our != *passes || theirs != *passes {
                disagreements.push(format!("{name}.xlsx: expected {passes}, ours {our}, frictionless {theirs} ({errors:?})"));
            }
        }
    }
    // every collection: a delivery of every column passes all three
    for id in ["vantetider", "kpp", "rikshoft"] {
        let (schema_path, schema) = downloaded_schema(&b, id, dir.path());
        let metadata: Value = serde_json::from_str(&b.get(&format!("/datainsamling/{id}/csvw-metadata.json")).text().unwrap()).unwrap();
        let spec = CollectionSpec::from_table_schema(&schema).unwrap_or_else(|e| panic!("{id}: {e}"));
        let names: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
        let row: Vec<String> = names.iter().map(|n| portable_value(&spec, n)).collect();
        let file = dir.path().join(format!("{id}.csv"));
        std::fs::write(&file, csv(&[names, row])).unwrap();
        let (our, report) = ours(&schema_path, &file);
        let (theirs, errors) = frictionless(&frictionless_py, &schema_path, &file);
        let (csvw_ok, said) = csvw(&csvw_validate, &metadata, &file);
        if !(our && theirs && csvw_ok) {
            disagreements
                .push(format!("{id}: ours {our} ({}), frictionless {theirs} ({errors:?}), csvw {csvw_ok} ({said})", report["findings"]));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn no_published_table_schema_has_an_empty_enum_and_every_collection_can_be_delivered() {
    let b = Browser::new(shared_server());
    let dir = tempfile::tempdir().unwrap();
    for id in ["vardplatser", "vantetider", "kpp", "rikshoft"] {
        let (schema_path, schema) = downloaded_schema(&b, id, dir.path());
        for f in schema["fields"].as_array().unwrap() {
            if let Some(codes) = f["constraints"].get("enum") {
                assert!(!codes.as_array().unwrap().is_empty(), "{id}: {} has an empty enum", f["name"]);
            }
        }
        let spec = CollectionSpec::from_table_schema(&schema).unwrap_or_else(|e| panic!("{id}: {e}"));
        let names: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
        let row: Vec<String> = names.iter().map(|n| portable_value(&spec, n)).collect();
        let file = dir.path().join(format!("{id}.csv"));
        std::fs::write(&file, csv(&[names, row])).unwrap();
        let (passed, report) = ours(&schema_path, &file);
        assert!(passed, "{id}: {:#}", report["findings"]);
    }
    // the hip-fracture collection's fracture type: no codes published, so no constraint, and
    // the schema and the page say why
    let schema: Value = serde_json::from_str(&b.get("/datainsamling/rikshoft/tableschema.json").text().unwrap()).unwrap();
    let frakturtyp = schema["fields"].as_array().unwrap().iter().find(|f| f["name"] == "Frakturtyp").expect("Frakturtyp");
    assert!(frakturtyp["constraints"].get("enum").is_none(), "{frakturtyp}");
    assert_eq!(frakturtyp["constraints"]["required"], true);
    assert!(frakturtyp["description"].as_str().unwrap().contains("inga publicerade koder"), "{frakturtyp}");
    let page = b.get("/datainsamling/rikshoft").text().unwrap();
    assert!(page.contains("Kodlistan har inga publicerade koder ännu"), "the page says why Frakturtyp is not checked");
    // a schema from elsewhere with an empty enum is refused, saying why
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"fields": [{"name": "kod", "type": "string", "constraints": {"enum": []}}]}"#).unwrap();
    let file = dir.path().join("kod.csv");
    std::fs::write(&file, "kod\nA\n").unwrap();
    let out = vardkatalog(&dir.path().join("none"), &["check-extract", "--schema", bad.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("empty \"enum\""), "{}", text(&out));
}

#[test]
fn headers_written_as_labels_or_in_another_case_and_codes_in_another_case_get_a_did_you_mean() {
    let b = Browser::new(shared_server());
    let dir = tempfile::tempdir().unwrap();
    let (schema_path, _) = downloaded_schema(&b, "vardplatser", dir.path());
    let file = dir.path().join("leverans.csv");
    std::fs::write(
        &file,
        "Disponibla vårdplatser;OVERBELAGGNINGAR;utlokaliseringar;vardtyp\n12;1;0;somatisk\nmånga;1;0;Somatisk\n12;1;0;PSYKIATRISK\n12;1;0;akut\n",
    )
    .unwrap();
    let (passed, report) = ours(&schema_path, &file);
    assert!(!passed);
    let findings = report["findings"].as_array().unwrap();
    let of = |problem: &str| -> Vec<&Value> { findings.iter().filter(|f| f["problem"] == problem).collect() };
    // one finding per header written another way, none saying the column is missing
    let misnamed = of("misnamed_column");
    assert_eq!(misnamed.len(), 2, "{findings:#?}");
    assert_eq!(misnamed[0]["did_you_mean"][0]["found"], "Disponibla vårdplatser");
    assert_eq!(misnamed[0]["did_you_mean"][0]["suggestion"], "disponibla_vardplatser");
    assert!(misnamed[0]["message"].as_str().unwrap().contains("menade du disponibla_vardplatser"), "{}", misnamed[0]["message"]);
    assert_eq!(misnamed[1]["did_you_mean"][0]["suggestion"], "overbelaggningar");
    assert!(of("missing_required_column").is_empty() && of("unknown_column").is_empty(), "{findings:#?}");
    // the column written as its label is still checked as that column
    let typed = of("type_error");
    assert_eq!((typed.len(), &typed[0]["column"], &typed[0]["rows"][0]), (1, &Value::from("disponibla_vardplatser"), &Value::from(3)));
    // codes in another case: did you mean, with rows; a code not in the list stays that
    let cased = of("code_in_other_case");
    assert_eq!(cased.len(), 1, "{findings:#?}");
    assert_eq!(cased[0]["rows"], serde_json::json!([3, 4]));
    assert_eq!(
        cased[0]["did_you_mean"],
        serde_json::json!([{"found": "Somatisk", "suggestion": "somatisk"}, {"found": "PSYKIATRISK", "suggestion": "psykiatrisk"}])
    );
    assert_eq!(of("code_not_in_list")[0]["rows"], serde_json::json!([5]));
    // the terminal report says it too
    let out = vardkatalog(&dir.path().join("none"), &["check-extract", "--schema", schema_path.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(text(&out).contains("menade du: Disponibla vårdplatser → disponibla_vardplatser"), "{}", text(&out));
}

/// Posts a delivery file to the check page.
fn post_delivery(b: &Browser, collection: &str, file_name: &str, bytes: &[u8]) -> (u16, String) {
    let page = b.get(&format!("/kontroll/leverans?datainsamling={collection}")).text().unwrap();
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page[at..at + 64].to_owned();
    let res = b.post_multipart("/kontroll/leverans", &[("csrf", &csrf), ("datainsamling", collection)], ("fil", file_name, bytes));
    let status = res.status().as_u16();
    (status, res.text().unwrap())
}

/// A delivery of `rows` data rows of vardplatser with planted errors, and the header written
/// with a label.
fn planted_delivery(rows: usize) -> Vec<Vec<String>> {
    let mut out = vec![vec!["Disponibla vårdplatser".to_owned(), "overbelaggningar".into(), "utlokaliseringar".into(), "vardtyp".into()]];
    for i in 0..rows {
        let line = i + 2;
        let row = match line {
            10 | 11 => ["12", "tio", "0", "somatisk"],
            250 => ["12", "1", "0", "Somatisk"],
            _ => ["12", "1", "0", "psykiatrisk"],
        };
        out.push(row.iter().map(|s| s.to_string()).collect());
    }
    out
}

#[test]
fn a_whole_csv_a_workbook_and_pasted_content_are_checked_in_the_page() {
    let b = Browser::new(shared_server());
    let rows = planted_delivery(600);
    let text_csv: String = rows.iter().map(|r| r.join(";")).collect::<Vec<_>>().join("\r\n");
    let (status, body) = post_delivery(&b, "vardplatser", "leverans.csv", text_csv.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Inte godkänd"), "{body}");
    assert!(body.contains("600 rader, 4 kolumner, 4 fel"), "counts: {body}");
    assert!(body.contains("<td>10, 11</td>"), "the rows of the type errors");
    assert!(body.contains("Somatisk → somatisk") && body.contains("<td>250</td>"), "a code in another case, at its row");
    assert!(body.contains("Disponibla vårdplatser → disponibla_vardplatser"), "a header written as a label");
    assert!(body.contains("sparas på servern eller skrivs i någon logg"), "the page says nothing is kept");
    assert!(body.contains("vardkatalog check-extract --schema vardplatser-tableschema.json"), "the way to check without sending");

    // the same as a workbook: the row numbers are the sheet's
    let (status, body) = post_delivery(&b, "vardplatser", "leverans.xlsx", &xlsx(&rows));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("600 rader, 4 kolumner, 4 fel") && body.contains("XLSX (Sheet1)"), "{body}");
    assert!(body.contains("<td>10, 11</td>") && body.contains("Somatisk → somatisk"), "{body}");

    // a delivery that passes, pasted
    let page = b.get("/kontroll/leverans").text().unwrap();
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page[at..at + 64].to_owned();
    let good = "disponibla_vardplatser;overbelaggningar;utlokaliseringar\n12;1;0\n13;2;0\n";
    let res = b.post_form("/kontroll/leverans", &[("csrf", &csrf), ("datainsamling", "vardplatser"), ("innehall", good)]);
    assert_eq!(res.status(), 200);
    let body = res.text().unwrap();
    assert!(body.contains("Godkänd: leveransen följer datainsamlingen") && body.contains("2 rader, 3 kolumner, 0 fel"), "{body}");
    // an old Excel file, a missing file, a wrong token
    let (status, body) = post_delivery(&b, "vardplatser", "gammal.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest");
    assert_eq!(status, 422);
    assert!(body.contains("spara den som .xlsx eller CSV"), "{body}");
    let (status, body) = post_delivery(&b, "", "leverans.csv", good.as_bytes());
    assert_eq!(status, 422);
    assert!(body.contains("Välj en datainsamling."), "{body}");
    let res = b.post_multipart(
        "/kontroll/leverans",
        &[("csrf", &"0".repeat(64)), ("datainsamling", "vardplatser")],
        ("fil", "l.csv", good.as_bytes()),
    );
    assert_eq!(res.status(), 403);
    // in English
    let res = b.post_form("/kontroll/leverans?lang=en", &[("csrf", &csrf), ("datainsamling", "vardplatser"), ("innehall", good)]);
    assert!(res.text().unwrap().contains("Passed: the delivery follows the data collection"));
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle)) {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn nothing_of_a_checked_delivery_reaches_the_disk_or_the_log() {
    let logs = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let stderr = std::fs::File::create(logs.path().join("stderr.log")).unwrap();
    let server = serve_binary(&[("RUST_LOG", "debug"), ("TMPDIR", tmp.path().to_str().unwrap())], stderr.into());
    let b = Browser::at(server.base.trim_start_matches("http://"));
    let mut secret = [0u8; 12];
    getrandom::fill(&mut secret).unwrap();
    let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let code = format!("hemlig{secret}");
    let csv = format!("disponibla_vardplatser;overbelaggningar;utlokaliseringar;vardtyp\n12;1;0;{code}\n");
    let (status, body) = post_delivery(&b, "vardplatser", &format!("fil-{secret}.csv"), csv.as_bytes());
    assert_eq!(status, 200);
    assert!(body.contains(&code), "the value was read: the page shows it to the sender");
    let book_code = format!("bok{secret}");
    let rows = vec![
        vec!["disponibla_vardplatser".to_owned(), "overbelaggningar".into(), "utlokaliseringar".into(), "vardtyp".into()],
        vec!["12".to_owned(), "1".into(), "0".into(), book_code.clone()],
    ];
    let (status, body) = post_delivery(&b, "vardplatser", "leverans.xlsx", &xlsx(&rows));
    assert_eq!(status, 200);
    assert!(body.contains(&book_code), "the workbook was read");
    // stop the server the way an operator does, so what it would write is written
    let _ = Command::new("kill").arg("-TERM").arg(server.pid().to_string()).status();
    let mut server = server;
    let _ = server.child.wait();
    for needle in [&secret, &code, &book_code] {
        let held: Vec<PathBuf> =
            [server.data_dir(), tmp.path(), logs.path()].iter().flat_map(|d| files_holding(d, needle.as_bytes())).collect();
        assert!(held.is_empty(), "{needle} reached {held:?}");
    }
    let log = std::fs::read_to_string(logs.path().join("stderr.log")).unwrap();
    assert!(log.contains("/kontroll/leverans"), "the request itself is logged (without its content): {log}");
}

#[test]
fn check_extract_needs_no_data_directory_and_never_makes_one() {
    let dir = tempfile::tempdir().unwrap();
    let b = Browser::new(shared_server());
    let (schema, _) = downloaded_schema(&b, "vardplatser", dir.path());
    let file = dir.path().join("leverans.csv");
    std::fs::write(&file, "disponibla_vardplatser;overbelaggningar;utlokaliseringar\n12;1;0\n").unwrap();
    // with a downloaded schema: no data directory is read or made
    let nowhere = dir.path().join("finns-inte");
    let out = vardkatalog(&nowhere, &["check-extract", "--schema", schema.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!nowhere.exists(), "no data directory was made");
    // --collection where there is no catalogue: not a fresh seed, but the way to check without one
    let out = vardkatalog(&nowhere, &["check-extract", "--collection", "vardplatser", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("there is no catalogue in") && said.contains("--schema vardplatser-tableschema.json"), "{said}");
    assert!(!nowhere.join("store").exists(), "no catalogue was made");

    // a data directory a running server holds: the schema mode does not touch it, and
    // --collection goes to the server
    let server = serve_binary(&[], std::process::Stdio::null());
    let data = server.data_dir();
    let out = vardkatalog(data, &["check-extract", "--schema", schema.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = vardkatalog(data, &["check-extract", "--collection", "vardplatser", file.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((report["passed"].clone(), report["fields_match"].clone()), (Value::Bool(true), Value::from("superset")));
}
