//! Command-line interface (clap): the subcommands and what each runs.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use vardkatalog::catalog::RecordState;
use vardkatalog::catalog::{ImportOptions, format_from_name};
use vardkatalog::config::{Config, Overrides};

/// Vårdkatalogen: a DCAT-AP-SE and HealthDCAT-AP catalogue of health datasets and variables.
#[derive(Parser, Debug)]
#[command(name = "vardkatalog", version, about)]
pub struct Args {
    /// Configuration file (TOML); default ./vardkatalog.toml when it exists.
    #[arg(long, global = true, env = "VARDKATALOG_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides VARDKATALOG_DATA_DIR and the file).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the catalogue over HTTP; a fresh data directory is seeded from catalog-seed.
    Serve {
        /// host:port (overrides VARDKATALOG_BIND).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Import an RDF file (Turtle, RDF/XML, JSON-LD, N-Triples); all or nothing.
    ///
    /// A workbook (.xlsx) or table (.csv, .tsv, .txt) is a bulk import of variables, code lists
    /// and dataset descriptions (docs/import.md): previewed, then saved as drafts.
    Import {
        /// The file to import.
        file: PathBuf,
        /// ttl, rdf, jsonld or nt (default: from the file extension).
        #[arg(long)]
        format: Option<String>,
        /// Store the records as drafts instead of publishing them (RDF files).
        #[arg(long)]
        draft: bool,
        /// Workbook/CSV: print the preview (created, changed, unchanged, problems) and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Workbook/CSV: the column mapping, a preset (workbook, rut) or a TOML file.
        #[arg(long)]
        mapping: Option<String>,
        /// Workbook/CSV: the dataset id rows without one belong to.
        #[arg(long)]
        dataset: Option<String>,
        /// Workbook/CSV: prefix of minted variable and code-list ids.
        #[arg(long)]
        id_prefix: Option<String>,
        /// Workbook/CSV: the account the drafts are saved by (role redaktör or higher).
        #[arg(long)]
        user: Option<String>,
        /// Workbook/CSV: the message saved with the drafts.
        #[arg(long)]
        message: Option<String>,
        /// Language of the preview (sv or en).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Rebuild the search index from the store (it is also rebuilt at start-up when stale).
    Reindex,
    /// Check a data delivery (CSV or XLSX) against a data collection's required columns, on
    /// this machine: nothing is sent anywhere. Exit status 0 when it passes, 1 when it has errors.
    CheckExtract {
        /// The collection's id (e.g. vardplatser), read from the local catalogue.
        #[arg(long, required_unless_present = "schema")]
        collection: Option<String>,
        /// A Table Schema downloaded from the catalogue, instead of --collection.
        #[arg(long, conflicts_with = "collection")]
        schema: Option<PathBuf>,
        /// The delivery: CSV (any of ; , tab |; UTF-8 or Windows-1252) or XLSX.
        file: PathBuf,
        /// Write the report as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the report (sv or en; default VARDKATALOG_LANG or sv).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Validate an RDF document (file, URL or - for standard input) against DCAT-AP-SE,
    /// HealthDCAT-AP per access level, or the variable-spec rules. Exit status 0 when it has no
    /// errors, 1 when it has, 2 when it cannot be read.
    Validate {
        /// A file, an http(s) URL, or - for standard input.
        input: String,
        /// dcat-ap-se, healthdcat-ap, variabel or alla.
        #[arg(long, default_value = "dcat-ap-se")]
        profile: String,
        /// ttl, rdf, jsonld or nt (default: from the Content-Type, the extension or the content).
        #[arg(long)]
        format: Option<String>,
        /// Write the report as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the report (sv or en; default VARDKATALOG_LANG or sv).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Harvest the configured sources (`[[harvest.sources]]`) into the catalogue: all or
    /// nothing per source. Exit status 1 when a run failed.
    Harvest {
        /// Only this source (default: every source, one after the other).
        #[arg(long)]
        source: Option<String>,
        /// Read and compare, but change nothing.
        #[arg(long, conflicts_with = "history")]
        dry_run: bool,
        /// Show the reports of past runs instead of running.
        #[arg(long)]
        history: bool,
    },
    /// Manage the accounts of editors, reviewers and administrators.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens (`Authorization: Bearer` on /api/v1): a token carries its account's role.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The metadata quality score of data.europa.eu (MQA): the catalogue's score, the rating
    /// bands and every dataset's score. Offline unless --online (or quality.online).
    Quality {
        /// Check that access and download URLs answer (HTTP HEAD/GET with a short time limit).
        #[arg(long)]
        online: bool,
        /// Write the result as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the text output (sv or en; default VARDKATALOG_LANG or sv).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Export the public catalogue as one RDF document.
    Export {
        /// ttl, rdf, jsonld or nt.
        #[arg(long, default_value = "ttl")]
        format: String,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum UserAction {
    /// Create an account (the first admin is made this way).
    Add {
        /// User name: lower-case letters a–z, digits, '.', '-' or '_'.
        name: String,
        /// redaktor, granskare or admin.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts with their roles.
    List,
    /// Set a new password (signs the account out everywhere).
    Passwd {
        name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Issue a token for an account; the token is printed once, on standard output.
    Create {
        /// The account whose role the token carries.
        #[arg(long)]
        user: String,
        /// Days until it expires (default: until revoked).
        #[arg(long)]
        expires_days: Option<i64>,
    },
    /// List the tokens: id, account, created, expires, last use, revoked.
    List,
    /// Revoke a token by its id (from `token list`); at once.
    Revoke { id: String },
}

/// Logs go to standard error: human-readable, or JSON lines with VARDKATALOG_LOG_FORMAT=json.
/// The level comes from RUST_LOG (default: info). A line standard error cannot take is dropped
/// and counted (`vardkatalog::logging`), never a reason to stop.
pub fn init_logging() {
    vardkatalog::logging::init();
}

fn load_config(args: &Args, bind: Option<String>) -> anyhow::Result<Config> {
    let overrides = Overrides { bind, data_dir: args.data_dir.clone(), base_iri: None };
    Ok(Config::load(args.config.as_deref(), |k| std::env::var(k).ok(), &overrides)?)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Serve { bind } => {
            let config = load_config(&args, bind.clone())?;
            serve(config)
        }
        Command::Import { file, format, draft, dry_run, mapping, dataset, id_prefix, user, message, lang } => {
            let config = load_config(&args, None)?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if format.is_none() && vardkatalog::ingest::FileKind::of(name).is_some() {
                let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
                let request = SpreadsheetImport {
                    file,
                    dry_run: *dry_run,
                    mapping: mapping.as_deref(),
                    dataset: dataset.clone(),
                    id_prefix: id_prefix.clone(),
                    user: user.as_deref(),
                    message: message.as_deref(),
                    lang,
                };
                return import_spreadsheet(&config, request);
            }
            let format_name = match format {
                Some(f) => f.clone(),
                None => file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_owned(),
            };
            let Some(rdf_format) = format_from_name(&format_name) else {
                bail!("unknown RDF format {format_name:?} for {}: use --format ttl, rdf, jsonld or nt", file.display());
            };
            let reader = BufReader::new(File::open(file).with_context(|| format!("cannot open {}", file.display()))?);
            let catalogue = vardkatalog::app::open_catalogue(&config)?;
            let mut options = ImportOptions::published_import();
            if *draft {
                options.state = RecordState::Draft;
            }
            let report = catalogue
                .import_document(reader, rdf_format, &options)
                .with_context(|| format!("{} was not imported; the catalogue is unchanged", file.display()))?;
            catalogue.flush()?;
            println!(
                "imported {}: {} new, {} changed, {} unchanged{}",
                file.display(),
                report.created,
                report.changed,
                report.unchanged,
                if report.orphans > 0 { format!(" ({} triples outside any record were skipped)", report.orphans) } else { String::new() }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User { action } => {
            let config = load_config(&args, None)?;
            user_command(&config, action)
        }
        Command::Token { action } => {
            let config = load_config(&args, None)?;
            token_command(&config, action)
        }
        Command::Reindex => {
            let config = load_config(&args, None)?;
            let catalogue = vardkatalog::app::open_catalogue(&config)?;
            let started = std::time::Instant::now();
            let documents = catalogue.reindex()?;
            println!("rebuilt the search index: {documents} documents in {:.1} s", started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckExtract { collection, schema, file, json, lang } => {
            let config = load_config(&args, None)?;
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            check_extract(&config, collection.as_deref(), schema.as_deref(), file, *json, lang)
        }
        Command::Validate { input, profile, format, json, lang } => {
            let config = load_config(&args, None)?;
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            validate(&config, input, profile, format.as_deref(), *json, lang)
        }
        Command::Quality { online, json, lang } => {
            let config = load_config(&args, None)?;
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            quality(&config, *online || config.quality.online, *json, lang)
        }
        Command::Harvest { source, dry_run, history } => {
            let config = load_config(&args, None)?;
            crate::harvest_cli::run(&config, source.as_deref(), *dry_run, *history)
        }
        Command::Export { format, output } => {
            let config = load_config(&args, None)?;
            let Some(rdf_format) = format_from_name(format) else {
                bail!("unknown RDF format {format:?}: use ttl, rdf, jsonld or nt");
            };
            let catalogue = vardkatalog::app::open_and_seed(&config)?;
            let count = match output {
                Some(path) => {
                    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = BufWriter::new(file);
                    let n = vardkatalog::publish::write_catalogue(&catalogue, rdf_format, &mut w)?;
                    w.flush()?;
                    n
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = BufWriter::new(stdout.lock());
                    let n = vardkatalog::publish::write_catalogue(&catalogue, rdf_format, &mut w)?;
                    w.flush()?;
                    n
                }
            };
            tracing::info!(triples = count, "exported the public catalogue");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check_extract(
    config: &Config,
    collection: Option<&str>,
    schema: Option<&std::path::Path>,
    file: &std::path::Path,
    json: bool,
    lang: vardkatalog::config::Lang,
) -> anyhow::Result<ExitCode> {
    use vardkatalog::validate::collection::CollectionSpec;
    use vardkatalog::validate::extract;
    let spec = match (collection, schema) {
        (_, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let value: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
            CollectionSpec::from_table_schema(&value).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        (Some(id), None) => {
            let catalogue = vardkatalog::app::open_and_seed(config)?;
            let iri = catalogue.minter().record(vardkatalog::model::RecordKind::Dataset, id)?;
            match CollectionSpec::from_catalogue(&catalogue, &iri)? {
                Some(spec) => spec,
                None => {
                    let known: Vec<String> = vardkatalog::validate::collection::collections(&catalogue)?
                        .iter()
                        .filter_map(|c| catalogue.minter().parse(c.as_str()).map(|(_, id)| id))
                        .collect();
                    bail!("there is no data collection {id:?}; the catalogue has: {}", known.join(", "));
                }
            }
        }
        (None, None) => bail!("name the collection with --collection ID or --schema FILE"),
    };
    let is_xlsx = file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let report = if is_xlsx {
        extract::check_xlsx(&spec, file, lang.code())
    } else {
        let input = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
        extract::check_csv(&spec, input, lang.code())
    }
    .map_err(|e| match e {
        extract::ExtractError::Workbook(w) => anyhow::anyhow!(w.message(lang.code())),
        other => anyhow::Error::new(other),
    })
    .with_context(|| format!("{} could not be checked", file.display()))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render_report(&report, lang));
    }
    Ok(if report.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The report for a terminal.
fn render_report(r: &vardkatalog::validate::extract::Report, lang: vardkatalog::config::Lang) -> String {
    use std::fmt::Write as _;
    let en = lang == vardkatalog::config::Lang::En;
    let mut out = String::new();
    let verdict = match (r.passed, en) {
        (true, true) => "PASSED",
        (true, false) => "GODKÄND",
        (false, true) => "NOT PASSED",
        (false, false) => "INTE GODKÄND",
    };
    let _ = writeln!(
        out,
        "{verdict}: {} – {} {}, {} {}, {} {}, {} {} ({}, {})",
        r.collection,
        r.rows,
        if en { "rows" } else { "rader" },
        r.columns.len(),
        if en { "columns" } else { "kolumner" },
        r.errors,
        if en { "errors" } else { "fel" },
        r.warnings,
        if en { "warnings" } else { "varningar" },
        r.encoding,
        if en { format!("delimiter {}", r.delimiter) } else { format!("avgränsare {}", r.delimiter) },
    );
    for f in &r.findings {
        let severity = match (f.severity, en) {
            (vardkatalog::validate::extract::Severity::Error, true) => "error",
            (vardkatalog::validate::extract::Severity::Error, false) => "fel",
            (vardkatalog::validate::extract::Severity::Warning, true) => "warning",
            (vardkatalog::validate::extract::Severity::Warning, false) => "varning",
        };
        let _ = write!(out, "  {severity}: {} ", f.message);
        let times = match (f.count, en) {
            (1, true) => "once".to_owned(),
            (1, false) => "1 gång".to_owned(),
            (n, true) => format!("{n} times"),
            (n, false) => format!("{n} gånger"),
        };
        let _ = write!(out, "({times}");
        if !f.rows.is_empty() {
            let rows: Vec<String> = f.rows.iter().map(u64::to_string).collect();
            let _ = write!(out, "; {} {}", if en { "rows" } else { "rader" }, rows.join(", "));
        }
        if !f.examples.is_empty() {
            let _ = write!(out, "; {} {}", if en { "e.g." } else { "t.ex." }, f.examples.join(", "));
        }
        let _ = writeln!(out, ")");
    }
    out
}

fn validate(
    config: &Config,
    input: &str,
    profile: &str,
    format: Option<&str>,
    json: bool,
    lang: vardkatalog::config::Lang,
) -> anyhow::Result<ExitCode> {
    use vardkatalog::validate::{input as rdf_input, rules};
    let en = lang == vardkatalog::config::Lang::En;
    let Some(profile) = rules::Profile::parse(profile) else {
        bail!("unknown profile {profile:?}; use dcat-ap-se, healthdcat-ap, variabel or alla");
    };
    let stated = match format {
        Some(f) => Some(format_from_name(f).with_context(|| format!("unknown format {f:?}; use ttl, rdf, jsonld or nt"))?),
        None => None,
    };
    let read = || -> Result<(Vec<u8>, Option<String>), rdf_input::InputError> {
        if input.starts_with("http://") || input.starts_with("https://") {
            rdf_input::fetch(input, std::time::Duration::from_secs(60), false)
        } else if input == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| rdf_input::InputError::Unreadable { format: "RDF", message: e.to_string() })?;
            Ok((bytes, None))
        } else {
            std::fs::read(input)
                .map(|b| (b, None))
                .map_err(|e| rdf_input::InputError::Unreadable { format: "RDF", message: format!("{input}: {e}") })
        }
    };
    let parsed =
        read().and_then(|(bytes, content_type)| rdf_input::read(&bytes, stated, content_type.as_deref(), Some(input), &config.base_iri));
    let graph = match parsed {
        Ok((graph, _)) => graph,
        Err(e) => {
            eprintln!("{input}: {}", e.in_language(en));
            return Ok(ExitCode::from(2));
        }
    };
    let report = rules::validate(&graph, profile)?;
    let text = if json {
        let rules_url = format!("{}kontroll/regler", config.base_iri);
        serde_json::to_string_pretty(&report.to_json(en, &rules_url))? + "\n"
    } else {
        report.to_text(en)
    };
    // a closed pipe (`| head`) is not an error of the validation
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    Ok(if report.passes() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn user_command(config: &Config, action: &UserAction) -> anyhow::Result<ExitCode> {
    use vardkatalog::accounts::{AccountError, Accounts, Role, valid_name};
    let accounts = Accounts::new(vardkatalog::app::open_state(config)?);
    match action {
        UserAction::Add { name, role, password_stdin } => {
            let Some(role) = Role::parse(role) else {
                bail!("unknown role {role:?}: use redaktor, granskare or admin");
            };
            if !valid_name(name) {
                bail!("{}", AccountError::BadName);
            }
            if accounts.get(name)?.is_some() {
                bail!("{}", AccountError::Exists(name.clone()));
            }
            let password = read_password(*password_stdin)?;
            accounts.add("cli", name, role, &password)?;
            println!("added {name} ({})", role.as_str());
        }
        UserAction::List => {
            for u in accounts.list()? {
                println!("{}\t{}\t{}", u.name, u.role.as_str(), if u.disabled { "disabled" } else { "active" });
            }
        }
        UserAction::Passwd { name, password_stdin } => {
            if accounts.get(name)?.is_none() {
                bail!("{}", AccountError::NotFound(name.clone()));
            }
            let password = read_password(*password_stdin)?;
            accounts.set_password("cli", name, &password)?;
            println!("changed the password of {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn token_command(config: &Config, action: &TokenAction) -> anyhow::Result<ExitCode> {
    use vardkatalog::accounts::Accounts;
    let accounts = Accounts::new(vardkatalog::app::open_state(config)?);
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    match action {
        TokenAction::Create { user, expires_days } => {
            let (token, secret) = accounts.issue_token("cli", user, *expires_days)?;
            eprintln!("token {} for {} (expires {}); it is shown only now:", token.id, token.user, day(token.expires));
            println!("{secret}");
        }
        TokenAction::List => {
            println!("id\tuser\tcreated\texpires\tlast_used\trevoked");
            for t in accounts.tokens()? {
                println!("{}\t{}\t{}\t{}\t{}\t{}", t.id, t.user, day(Some(t.created)), day(t.expires), day(t.last_used), day(t.revoked));
            }
        }
        TokenAction::Revoke { id } => {
            let t = accounts.revoke_token("cli", id)?;
            println!("revoked token {} of {}", t.id, t.user);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A password from standard input's first line, or typed twice at a prompt without echo.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        if p.is_empty() {
            bail!("no password on standard input");
        }
        return Ok(p);
    }
    let ask = |prompt: &str| -> anyhow::Result<String> {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        // no echo while typing (stty is on every Unix; if it is missing the password is echoed)
        let quiet =
            std::process::Command::new("stty").arg("-echo").stdin(std::process::Stdio::inherit()).status().is_ok_and(|s| s.success());
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        if quiet {
            let _ = std::process::Command::new("stty").arg("echo").stdin(std::process::Stdio::inherit()).status();
            eprintln!();
        }
        read?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    };
    let first = ask("Password: ")?;
    let second = ask("Again: ")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

fn quality(config: &Config, online: bool, json: bool, lang: vardkatalog::config::Lang) -> anyhow::Result<ExitCode> {
    use std::fmt::Write as _;
    use vardkatalog::validate::mqa::{Dimension, MAX_POINTS};
    let catalogue = vardkatalog::app::open_and_seed(config)?;
    let service = vardkatalog::validate::quality::Quality::new(catalogue, config.vocabularies.clone(), config.quality.clone())?
        .with_address_guard(config.harvest.guard());
    let started = std::time::Instant::now();
    let score = service.assess(online)?;
    tracing::info!(datasets = score.datasets.len(), ms = started.elapsed().as_millis() as u64, online, "scored the catalogue");
    if json {
        println!("{}", serde_json::to_string_pretty(&score.to_json())?);
        return Ok(ExitCode::SUCCESS);
    }
    let en = lang == vardkatalog::config::Lang::En;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {:.1} / {MAX_POINTS} ({}), {} {}",
        if en { "Catalogue" } else { "Katalogen" },
        score.total(),
        score.rating().name(lang),
        score.datasets.len(),
        if en { "datasets" } else { "datamängder" },
    );
    let checks = match (online, score.compliance_checked, en) {
        (true, true, true) => "URLs checked online; DCAT-AP compliance checked with SHACL",
        (true, true, false) => "adresser kontrollerade online; DCAT-AP kontrollerad med SHACL",
        (true, false, true) => "URLs checked online; DCAT-AP compliance not checked (no shapes configured)",
        (true, false, false) => "adresser kontrollerade online; DCAT-AP inte kontrollerad (inga regler inställda)",
        (false, true, true) => "URLs not checked (offline); DCAT-AP compliance checked with SHACL",
        (false, true, false) => "adresser inte kontrollerade (offline); DCAT-AP kontrollerad med SHACL",
        (false, false, true) => "URLs not checked (offline); DCAT-AP compliance not checked (no shapes configured)",
        (false, false, false) => "adresser inte kontrollerade (offline); DCAT-AP inte kontrollerad (inga regler inställda)",
    };
    let _ = writeln!(out, "  ({checks})");
    for d in Dimension::ALL {
        let _ = writeln!(out, "  {:<20} {:>6.1} / {}", d.name(lang), score.dimension_points(d), d.max_points());
    }
    let _ = writeln!(out, "{}:", if en { "Rating bands" } else { "Betygsnivåer" });
    for (r, n) in score.bands() {
        let (lo, hi) = r.range();
        let _ = writeln!(out, "  {:<12} {lo:>3}–{hi:<3} {n:>6} {}", r.name(lang), if en { "datasets" } else { "datamängder" });
    }
    let _ = writeln!(out, "{}:", if en { "Datasets" } else { "Datamängder" });
    for d in &score.datasets {
        let assumed = d.assumed_points();
        let _ = writeln!(
            out,
            "  {:>3} {:<12} {:>3} %  {}{}",
            d.total(),
            d.rating().name(lang),
            d.completeness.percent(),
            d.iri.as_str(),
            if assumed > 0 {
                if en { format!("  ({assumed} points not checked)") } else { format!("  ({assumed} poäng inte kontrollerade)") }
            } else {
                String::new()
            }
        );
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let running = vardkatalog::app::build(&config)?;
        tracing::info!(
            url = %format!("http://{}", running.addr),
            base_iri = %config.base_iri,
            data_dir = %config.data_dir.display(),
            "Vårdkatalogen is serving"
        );
        running.server.await.context("the server stopped with an error")?;
        running.services.catalogue.flush()?;
        Ok(ExitCode::SUCCESS)
    })
}

/// `vardkatalog import` of a workbook or table.
struct SpreadsheetImport<'a> {
    file: &'a std::path::Path,
    dry_run: bool,
    mapping: Option<&'a str>,
    dataset: Option<String>,
    id_prefix: Option<String>,
    user: Option<&'a str>,
    message: Option<&'a str>,
    lang: vardkatalog::config::Lang,
}

fn import_spreadsheet(config: &Config, r: SpreadsheetImport<'_>) -> anyhow::Result<ExitCode> {
    use vardkatalog::ingest::{self, Options, tabular::Mapping};
    let lang = r.lang.code();
    let bytes = std::fs::read(r.file).with_context(|| format!("cannot read {}", r.file.display()))?;
    let mapping = match r.mapping {
        None => None,
        Some(m) => match Mapping::preset(m) {
            Some(p) => Some(p),
            None => {
                let text = std::fs::read_to_string(m)
                    .with_context(|| format!("{m:?} is neither a preset (workbook, rut) nor a readable mapping file"))?;
                Some(Mapping::from_toml(&text)?)
            }
        },
    };
    let services = vardkatalog::app::services(config)?;
    let (catalogue, curation) = (services.catalogue.clone(), services.curation.clone());
    let mut options = Options::new(catalogue.minter().clone());
    options.dataset = r.dataset;
    options.id_prefix = r.id_prefix;
    options.agents = ingest::agent_names(&catalogue)?;
    let name = r.file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let batch = ingest::read_file(name, &bytes, mapping.as_ref(), &options)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))
        .with_context(|| format!("{} was not imported; the catalogue is unchanged", r.file.display()))?;
    let plan = ingest::plan(batch, &|iri| curation.current(iri).map(|c| c.map(|(_, r)| r)))?;
    print!("{}", render_plan(&catalogue, &plan, lang));
    if plan.has_errors() {
        println!(
            "{}",
            if lang == "en" {
                "Nothing was imported: correct the errors and try again."
            } else {
                "Inget importerades: rätta felen och försök igen."
            }
        );
        return Ok(ExitCode::from(1));
    }
    if r.dry_run {
        println!("{}", if lang == "en" { "Dry run: nothing was written." } else { "Provkörning: inget skrevs." });
        return Ok(ExitCode::SUCCESS);
    }
    let Some(user) = r.user else {
        bail!("name the account the drafts are saved by with --user NAME (role redaktör or higher), or preview with --dry-run");
    };
    let account = services.accounts.get(user)?.filter(|u| !u.disabled).with_context(|| format!("there is no enabled account {user:?}"))?;
    if account.role < vardkatalog::accounts::Role::Redaktor {
        bail!("{user} may not save drafts");
    }
    let actor = vardkatalog::curation::Actor { user: account.name, role: account.role };
    let records = plan.to_save();
    let n = records.len();
    let message = r.message.map(str::to_owned).unwrap_or_else(|| format!("Import av {name}"));
    curation.save_drafts(&actor, records, &message).with_context(|| format!("{} was not imported; nothing was saved", r.file.display()))?;
    println!(
        "{}",
        if lang == "en" {
            format!("{n} records saved as drafts; they are published after review.")
        } else {
            format!("{n} poster sparades som utkast; de publiceras efter granskning.")
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The preview for a terminal.
fn render_plan(cat: &vardkatalog::catalog::Catalogue, plan: &vardkatalog::ingest::ImportPlan, lang: &str) -> String {
    use std::fmt::Write as _;
    let en = lang == "en";
    let mut out = String::new();
    let _ = writeln!(out, "{}", plan.summary(lang));
    for p in &plan.problems {
        let what = match (p.is_error(), en) {
            (true, true) => "error",
            (true, false) => "fel",
            (false, true) => "warning",
            (false, false) => "varning",
        };
        let _ = writeln!(out, "  {what}: {}", p.describe(lang));
    }
    let line = |out: &mut String, label: &str, e: &vardkatalog::ingest::PlanEntry| {
        let id = vardkatalog::ingest::export::short_id(cat, &e.iri);
        let place = match e.row {
            Some(row) => format!("{}, {} {row}", e.sheet, if en { "row" } else { "rad" }),
            None => e.sheet.clone(),
        };
        let fields = if e.changed.is_empty() {
            String::new()
        } else {
            format!(" [{}]", e.changed.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", "))
        };
        let _ = writeln!(out, "  {label}: {} {id} ({place}){fields}", e.kind.label(lang));
    };
    for e in &plan.create {
        line(&mut out, if en { "new" } else { "ny" }, e);
    }
    for e in &plan.change {
        line(&mut out, if en { "changed" } else { "ändras" }, e);
    }
    out
}
