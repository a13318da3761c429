//! Data collections and the check of a delivery: planted errors are found exactly, any
//! delimiter and encoding is read, the Table Schema round-trips, the CLI's exit status tells
//! pass or fail, and the check page answers. (The region's whole way through, and the
//! comparison with other Table Schema and CSVW tools: `delivery`.)

use std::io::Write;

use vardkatalog::model::record::RecordKind;
use vardkatalog::validate::collection::CollectionSpec;
use vardkatalog::validate::extract::{Problem, Report, Severity, check_csv, check_xlsx};

use crate::support::{Browser, seeded_catalogue, shared_server, temp_config};

fn spec(id: &str) -> CollectionSpec {
    let cat = seeded_catalogue();
    let iri = cat.minter().record(RecordKind::Dataset, id).unwrap();
    CollectionSpec::from_catalogue(&cat, &iri).unwrap().expect("a collection")
}

/// Header and a valid row for every column of a spec.
fn valid_row(spec: &CollectionSpec) -> (Vec<String>, Vec<String>) {
    use vardkatalog::validate::collection::ValueType;
    let header: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
    let row = spec
        .columns
        .iter()
        .map(|c| match (&c.codes, c.value_type) {
            (Some(codes), _) => codes.iter().next().cloned().unwrap_or_default(),
            (None, ValueType::Integer) => c.maximum.map(|m| (m as i64).to_string()).unwrap_or_else(|| "12".into()),
            (None, ValueType::Decimal) => c.maximum.map(|m| (m / 2.0).to_string().replace('.', ",")).unwrap_or_else(|| "3,5".into()),
            (None, ValueType::Date) => "2024-03-01".into(),
            (None, ValueType::DateTime) => "2024-03-01T10:00".into(),
            (None, ValueType::Year) => "2024".into(),
            (None, ValueType::YearMonth) => "2024-03".into(),
            (None, ValueType::Boolean) => "ja".into(),
            (None, ValueType::Time) => "10:00".into(),
            (None, ValueType::String) => "SE2321000131-E000000000001".into(),
        })
        .collect();
    (header, row)
}

fn only(report: &Report, problem: Problem) -> &vardkatalog::validate::extract::Finding {
    let found: Vec<_> = report.findings.iter().filter(|f| f.problem == problem).collect();
    assert_eq!(found.len(), 1, "{problem:?}: {:#?}", report.findings);
    found[0]
}

#[test]
fn every_planted_error_is_found_and_nothing_else() {
    let spec = spec("vardplatser");
    let (header, row) = valid_row(&spec);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let mut lines = vec![header.join(";")];
    for i in 0..1000 {
        let mut r = row.clone();
        let line = i + 2; // the header is line 1
        match line {
            10 | 11 => r[col("overbelaggningar")] = "tio".into(),
            20 => r[col("vardtyp")] = "okand".into(),
            30 => r[col("disponibla_vardplatser")] = String::new(),
            40 => r[col("datum")] = "2024-13-01".into(),
            50 => r.push("en för mycket".into()),
            _ => {}
        }
        lines.push(r.join(";"));
    }
    let text = lines.join("\n") + "\n";
    let report = check_csv(&spec, text.as_bytes(), "sv").unwrap();
    assert_eq!(report.rows, 1000);
    assert!(!report.passed);
    assert_eq!(report.findings.len(), 5, "{:#?}", report.findings);
    let by = |p: Problem, column: &str| {
        report
            .findings
            .iter()
            .find(|f| f.problem == p && f.column.as_deref() == Some(column))
            .unwrap_or_else(|| panic!("{p:?} in {column}: {:#?}", report.findings))
    };
    let t = by(Problem::TypeError, "overbelaggningar");
    assert_eq!((t.count, t.rows.clone(), t.examples.clone()), (2, vec![10, 11], vec!["tio".to_owned()]));
    let c = by(Problem::CodeNotInList, "vardtyp");
    assert_eq!((c.count, c.rows.clone()), (1, vec![20]));
    let e = by(Problem::EmptyRequiredValue, "disponibla_vardplatser");
    assert_eq!(e.rows, vec![30]);
    let d = report.findings.iter().find(|f| f.column.as_deref() == Some("datum")).expect("the bad date");
    assert_eq!((d.problem, d.rows.clone()), (Problem::TypeError, vec![40]));
    let w = report.findings.iter().find(|f| f.problem == Problem::WrongNumberOfFields).unwrap();
    assert_eq!(w.rows, vec![50]);
    assert_eq!(report.errors, 6);
    assert_eq!(report.warnings, 0);
}

#[test]
fn missing_and_unknown_columns_are_named() {
    let spec = spec("vardplatser");
    let report = check_csv(&spec, "overbelaggningar,vardtyp,kommentar\n1,somatisk,x\n".as_bytes(), "sv").unwrap();
    let missing: Vec<&str> =
        report.findings.iter().filter(|f| f.problem == Problem::MissingRequiredColumn).map(|f| f.column.as_deref().unwrap()).collect();
    assert!(missing.contains(&"disponibla_vardplatser") && missing.contains(&"utlokaliseringar"), "{missing:?}");
    let unknown = only(&report, Problem::UnknownColumn);
    assert_eq!(unknown.column.as_deref(), Some("kommentar"));
    assert_eq!(unknown.severity, Severity::Error, "a column the collection lacks fails the delivery, as in Table Schema");
    assert!(unknown.message.contains("ingår inte i datainsamlingen vardplatser"), "{}", unknown.message);
    assert!(report.findings.iter().any(|f| f.problem == Problem::MissingConditionalColumn && f.severity == Severity::Warning));
    assert_eq!(report.delimiter, ",");
}

#[test]
fn any_delimiter_and_encoding_is_read() {
    let spec = spec("vardplatser");
    let (header, row) = valid_row(&spec);
    // tab, Windows-1252 with an unknown column named with Swedish letters
    let text = format!("{}\tanmärkning\n{}\tö\n", header.join("\t"), row.join("\t"));
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let report = check_csv(&spec, &bytes[..], "sv").unwrap();
    assert_eq!(report.encoding, "Windows-1252");
    assert_eq!(report.delimiter, "tab");
    assert_eq!(only(&report, Problem::UnknownColumn).column.as_deref(), Some("anmärkning"));
    assert_eq!((report.passed, report.findings.len()), (false, 1), "{:#?}", report.findings);
    // pipe, UTF-8 with a byte-order mark
    let text = format!("\u{feff}{}\n{}\n", header.join("|"), row.join("|"));
    let report = check_csv(&spec, text.as_bytes(), "en").unwrap();
    assert_eq!((report.encoding.as_str(), report.delimiter.as_str()), ("UTF-8", "|"));
    assert!(report.passed && report.findings.is_empty(), "{:#?}", report.findings);
    assert!(check_csv(&spec, &b""[..], "sv").is_err(), "an empty file is refused");
}

#[test]
fn a_workbook_is_checked_like_a_csv() {
    let spec = spec("vardplatser");
    let (header, row) = valid_row(&spec);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leverans.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in row.iter().enumerate() {
        sheet.write_string(1, c as u16, v).unwrap();
        sheet.write_string(2, c as u16, v).unwrap();
    }
    let n = header.iter().position(|h| h == "overbelaggningar").unwrap();
    sheet.write_string(2, n as u16, "många").unwrap();
    book.save(&path).unwrap();
    let report = check_xlsx(&spec, &path, "sv").unwrap();
    assert_eq!(report.rows, 2);
    let t = only(&report, Problem::TypeError);
    assert_eq!((t.rows.clone(), t.examples.clone()), (vec![3], vec!["många".to_owned()]));
}

#[test]
fn the_table_schema_round_trips_and_the_csvw_metadata_describes_every_column() {
    let spec = spec("vantetider");
    let schema = spec.to_table_schema();
    let back = CollectionSpec::from_table_schema(&schema).unwrap();
    assert_eq!(back.columns.len(), spec.columns.len());
    for (a, b) in spec.columns.iter().zip(&back.columns) {
        assert_eq!((&a.name, a.level, a.value_type, &a.codes), (&b.name, b.level, b.value_type, &b.codes));
    }
    let (header, row) = valid_row(&spec);
    let text = format!("{}\n{}\n", header.join(";"), row.join(";"));
    let report = check_csv(&back, text.as_bytes(), "sv").unwrap();
    assert!(report.passed, "{:#?}", report.findings);

    let csvw = spec.to_csvw("vantetider.csv");
    assert_eq!(csvw["url"], "vantetider.csv");
    let columns = csvw["tableSchema"]["columns"].as_array().unwrap();
    assert_eq!(columns.len(), spec.columns.len());
    assert!(columns.iter().any(|c| c["required"] == true));
    // the JSON-LD parses as RDF with the CSVW context
    let avvikelse = columns.iter().find(|c| c["name"] == "avvikelsekod").expect("avvikelsekod");
    assert!(avvikelse["datatype"]["format"].as_str().unwrap().contains("PvV"));
}

#[test]
fn check_extract_on_the_command_line_exits_with_pass_or_fail() {
    let (dir, config) = temp_config();
    // a catalogue's data directory (`--collection` reads the collection there)
    drop(vardkatalog::app::open(&config).expect("the seeded catalogue"));
    let dir = dir.path();
    let spec = spec("vardplatser");
    let (header, row) = valid_row(&spec);
    let good = dir.join("bra.csv");
    std::fs::write(&good, format!("{}\n{}\n", header.join(";"), row.join(";"))).unwrap();
    let bad = dir.join("dalig.csv");
    let mut f = std::fs::File::create(&bad).unwrap();
    writeln!(f, "overbelaggningar;vardtyp").unwrap();
    writeln!(f, "x;somatisk").unwrap();
    drop(f);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
            .env("VARDKATALOG_DATA_DIR", dir)
            .env("VARDKATALOG_BASE_IRI", crate::support::BASE)
            .env_remove("VARDKATALOG_CONFIG")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let out = run(&["check-extract", "--collection", "vardplatser", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("GODKÄND"));
    let out = run(&["check-extract", "--collection", "vardplatser", bad.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["passed"], false);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["problem"] == "missing_required_column" && f["column"] == "disponibla_vardplatser")
    );
    // offline, from a downloaded Table Schema
    let schema = dir.join("schema.json");
    std::fs::write(&schema, spec.to_table_schema().to_string()).unwrap();
    let out = run(&["check-extract", "--schema", schema.to_str().unwrap(), good.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("PASSED"));
    let out = run(&["check-extract", "--collection", "finns-inte", good.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("vardplatser"), "names the collections that exist");
}

#[test]
fn the_collection_pages_and_the_header_check() {
    let s = shared_server();
    let b = Browser::new(s);
    let list = b.get("/datainsamling").text().unwrap();
    for id in ["vardplatser", "vantetider", "kpp", "rikshoft"] {
        assert!(list.contains(&format!("href=\"/datainsamling/{id}\"")), "{id}");
    }
    let page = b.get("/datainsamling/vardplatser").text().unwrap();
    assert!(page.contains("<code>disponibla_vardplatser</code>") && page.contains("obligatorisk"));
    let schema: serde_json::Value = serde_json::from_str(&b.get("/datainsamling/vardplatser/tableschema.json").text().unwrap()).unwrap();
    assert!(schema["fields"].as_array().unwrap().iter().any(|f| f["name"] == "vardtyp" && f["constraints"]["enum"].is_array()));
    let res = b.get("/datainsamling/vardplatser/csvw-metadata.json");
    assert_eq!(res.headers()["content-type"], "application/csvm+json");
    assert_eq!(b.get("/datainsamling/finns-inte").status(), 404);

    let form = b.get("/kontroll/leverans?datainsamling=vardplatser").text().unwrap();
    let at = form.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = form[at..at + 64].to_owned();
    // pasted
    let res = b.post_form(
        "/kontroll/leverans",
        &[("csrf", &csrf), ("datainsamling", "vardplatser"), ("rubrikrad", "overbelaggningar;vardtyp;hemligt")],
    );
    assert_eq!(res.status(), 200);
    let body = res.text().unwrap();
    assert!(body.contains("Inte godkänd"));
    assert!(body.contains("Den obligatoriska kolumnen disponibla_vardplatser"));
    assert!(body.contains("Kolumnen hemligt ingår inte"));
    assert!(body.contains("vardkatalog check-extract --schema vardplatser-tableschema.json"), "how to check without sending");
    // uploaded: every row is read
    let boundary = "XyZ";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"datainsamling\"\r\n\r\nvardplatser\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"l.csv\"\r\nContent-Type: text/csv\r\n\r\ndisponibla_vardplatser;overbelaggningar;utlokaliseringar\r\n1;2;personnummer-som-inte-ska-synas\r\n\r\n--{boundary}--\r\n"
    );
    let res = reqwest::blocking::Client::new()
        .post(s.url("/kontroll/leverans"))
        .header("cookie", format!("vk_csrf={csrf}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(multipart)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().unwrap();
    assert!(body.contains("Inte godkänd"), "{body}");
    assert!(body.contains("utlokaliseringar ska vara ett heltal") && body.contains("<td>2</td>"), "the row's type error: {body}");
    // without the token
    let res = b.post_form("/kontroll/leverans", &[("csrf", &"0".repeat(64)), ("datainsamling", "vardplatser"), ("rubrikrad", "a")]);
    assert_eq!(res.status(), 403);
}
