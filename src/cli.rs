//! Command-line interface (clap): the subcommands and what each runs.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use vardkatalog::catalog::Catalogue;
use vardkatalog::catalog::RecordState;
use vardkatalog::catalog::{ImportOptions, format_from_name};
use vardkatalog::config::{Config, Overrides};
use vardkatalog::services::Services;

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
        /// Send the report (counts and rates per column, never values) to this catalogue (its
        /// address, e.g. https://katalog.example.se/, or the full .../leveranser endpoint).
        #[arg(long, requires_all = ["token", "region", "period"])]
        submit: Option<String>,
        /// An API token of an account that is a member of the region (`vardkatalog token create
        /// --user NAME` or /admin/anvandare; vk1_...). Prefer the environment: a command line is
        /// visible to other users of the machine.
        #[arg(long, env = "VARDKATALOG_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// The region's id under /agent/ (e.g. region-skane).
        #[arg(long)]
        region: Option<String>,
        /// The period the delivery covers: YYYY or YYYY-MM.
        #[arg(long)]
        period: Option<String>,
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
    /// Write a consistent snapshot of the store and the state database into DIR (new or
    /// empty), also while `serve` runs; the search index is rebuilt from it on restore.
    Backup {
        /// The directory to write (absent or empty).
        dir: PathBuf,
    },
    /// Put a backup into an empty data directory (--data-dir) and rebuild its search index.
    Restore {
        /// A directory written by `vardkatalog backup`.
        from: PathBuf,
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
    /// Link an account to the organisations it works for (agent ids under /agent/, e.g.
    /// region-skane): an editor of an organisation states and confirms its datasets' quality
    /// label, assesses its maturity and sends its delivery reports. No ids: linked to none.
    Organisations { name: String, agents: Vec<String> },
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
        Command::Restore { from } => {
            let config = load_config(&args, None)?;
            restore(&config, from)
        }
        command => {
            let config = load_config(&args, None)?;
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            let (mut out, mut err) = (stdout.lock(), stderr.lock());
            let Some(forward) = command.forwarding() else {
                let mut io = Io { out: &mut out, err: &mut err, stdin: None, terminal: std::io::stderr().is_terminal() };
                return execute(command, &Backing::Local(&config), &mut io).map(ExitCode::from);
            };
            // a server holding the data directory runs the command; otherwise this process
            // opens it (a server still starting or stopping holds it for a moment: wait)
            let started = std::time::Instant::now();
            loop {
                if let Some(server) = vardkatalog::control::find(&config.data_dir) {
                    let request = forward.request(command)?;
                    return vardkatalog::control::run(&server, &request, &mut out, &mut err).map(ExitCode::from);
                }
                // a control file this user may not read: a server of another user holds the
                // directory, and waiting will not change that
                if let Err(e) = std::fs::File::open(vardkatalog::control::path(&config.data_dir))
                    && e.kind() == std::io::ErrorKind::PermissionDenied
                {
                    return Err(anyhow::anyhow!(held_elsewhere(&config.data_dir, Some(e.kind()), command)));
                }
                let mut io = Io { out: &mut out, err: &mut err, stdin: None, terminal: std::io::stderr().is_terminal() };
                match execute(command, &Backing::Local(&config), &mut io) {
                    Err(e) if in_use(&e) && started.elapsed() < std::time::Duration::from_secs(60) => {
                        tracing::debug!(error = %e, "the data directory is held by another process; waiting for it");
                        std::thread::sleep(std::time::Duration::from_millis(250));
                    }
                    Err(e) if in_use(&e) => {
                        let kind = std::fs::File::open(vardkatalog::control::path(&config.data_dir)).err().map(|e| e.kind());
                        return Err(e.context(held_elsewhere(&config.data_dir, kind, command)));
                    }
                    other => return other.map(ExitCode::from),
                }
            }
        }
    }
}

/// What to say when another process holds the data directory and no server of this user
/// answers on its control channel; `control` is how opening the control file failed.
fn held_elsewhere(data_dir: &std::path::Path, control: Option<std::io::ErrorKind>, command: &Command) -> String {
    let file = vardkatalog::control::path(data_dir);
    let why = match control {
        Some(std::io::ErrorKind::PermissionDenied) => format!(
            "a running server holds it, and its control file {} is not readable by this user: run the command as the server's user (sudo -u USER vardkatalog …)",
            file.display()
        ),
        Some(std::io::ErrorKind::NotFound) => {
            "no server published its control channel there (another command, or a server of an older version, holds it)".to_owned()
        }
        _ => format!("the server its control file {} names does not answer", file.display()),
    };
    let mut text = format!("the data directory {} is held by another process: {why}", data_dir.display());
    if matches!(command, Command::CheckExtract { .. }) {
        text.push_str(
            ". A delivery can be checked without any data directory: download the collection's Table Schema (/datainsamling/ID/tableschema.json on the catalogue's site) and run `vardkatalog check-extract --schema tableschema.json FILE`",
        );
    }
    text
}

/// Whether an error says that another process holds the data directory.
fn in_use(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let text = c.to_string();
        text.contains("in use by another process") || text.contains("could not acquire lock")
    })
}

/// Runs one command (every command but `serve` and `restore`) with its output to `io`: in this
/// process over a data directory it opens (`Backing::Local`), or inside `serve` for a client of
/// the control channel (`Backing::Server`). The exit status.
fn execute(command: &Command, backing: &Backing<'_>, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let config = backing.config();
    match command {
        Command::Serve { .. } | Command::Restore { .. } => bail!("this command runs on its own"),
        Command::Import { file, format, draft, dry_run, mapping, dataset, id_prefix, user, message, lang } => {
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
                return import_spreadsheet(backing, request, io);
            }
            let format_name = match format {
                Some(f) => f.clone(),
                None => file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_owned(),
            };
            let Some(rdf_format) = format_from_name(&format_name) else {
                bail!("unknown RDF format {format_name:?} for {name}: use --format ttl, rdf, jsonld or nt");
            };
            let reader = BufReader::new(File::open(file).with_context(|| format!("cannot open {}", file.display()))?);
            let catalogue = backing.catalogue()?;
            let mut options = ImportOptions::published_import();
            if *draft {
                options.state = RecordState::Draft;
            }
            let report = catalogue.import_document(reader, rdf_format, &options);
            vardkatalog::metrics::imported("rdf", report.is_ok());
            let report = report.with_context(|| format!("{name} was not imported; the catalogue is unchanged"))?;
            catalogue.flush()?;
            writeln!(
                io.out,
                "imported {name}: {} new, {} changed, {} unchanged{}",
                report.created,
                report.changed,
                report.unchanged,
                if report.orphans > 0 { format!(" ({} triples outside any record were skipped)", report.orphans) } else { String::new() }
            )?;
            Ok(0)
        }
        Command::User { action } => user_command(backing, action, io),
        Command::Token { action } => token_command(backing, action, io),
        Command::Reindex => {
            let catalogue = backing.catalogue()?;
            let started = std::time::Instant::now();
            let documents = catalogue.reindex()?;
            writeln!(io.out, "rebuilt the search index: {documents} documents in {:.1} s", started.elapsed().as_secs_f64())?;
            Ok(0)
        }
        Command::CheckExtract { collection, schema, file, json, lang, submit, token, region, period } => {
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            let submit = match (submit, token, region, period) {
                (Some(url), Some(token), Some(region), Some(period)) => Some(Submit { url, token, region, period }),
                _ => None,
            };
            check_extract(backing, collection.as_deref(), schema.as_deref(), file, *json, lang, submit, io)
        }
        Command::Validate { input, profile, format, json, lang } => {
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            validate(config, input, profile, format.as_deref(), *json, lang)
        }
        Command::Quality { online, json, lang } => {
            let lang = lang.as_deref().and_then(vardkatalog::config::Lang::parse).unwrap_or(config.lang);
            quality(backing, *online || config.quality.online, *json, lang, io)
        }
        Command::Harvest { source, dry_run, history } => {
            crate::harvest_cli::run(&backing.services()?, source.as_deref(), *dry_run, *history, io)
        }
        Command::Export { format, output } => {
            let Some(rdf_format) = format_from_name(format) else {
                bail!("unknown RDF format {format:?}: use ttl, rdf, jsonld or nt");
            };
            let catalogue = backing.seeded()?;
            let count = match output {
                Some(path) => {
                    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = BufWriter::new(file);
                    let n = vardkatalog::publish::write_catalogue(&catalogue, rdf_format, &mut w)?;
                    w.flush()?;
                    n
                }
                None => {
                    let mut w = BufWriter::new(&mut *io.out);
                    let n = vardkatalog::publish::write_catalogue(&catalogue, rdf_format, &mut w)?;
                    w.flush()?;
                    n
                }
            };
            tracing::info!(triples = count, "exported the public catalogue");
            Ok(0)
        }
        Command::Backup { dir } => {
            let services = backing.services()?;
            let manifest = services.backup(dir).with_context(|| format!("no backup was written to {}", dir.display()))?;
            writeln!(
                io.out,
                "backup of generation {} ({} records, store and state database) written to {}",
                manifest.generation,
                manifest.records,
                dir.display()
            )?;
            Ok(0)
        }
    }
}

/// `vardkatalog restore`: a backup into an empty data directory, opened once to check it (and
/// to build the search index).
fn restore(config: &Config, from: &std::path::Path) -> anyhow::Result<ExitCode> {
    if config.remote_store.is_some() {
        bail!(
            "restore puts back an embedded store; this configuration names a SPARQL engine elsewhere ([store]): load the backup's store/store.nq into it with the engine's own tools"
        );
    }
    let manifest = vardkatalog::backup::restore(from, &config.data_dir, &config.store_dir(), &config.state_dir())?;
    let services = vardkatalog::app::services(config).context("the restored data directory does not open")?;
    let generation = services.catalogue.store().generation()?;
    services.flush()?;
    if generation != manifest.generation {
        bail!("the restored store is at generation {generation}, the backup says {}", manifest.generation);
    }
    println!(
        "restored the backup of {} (generation {generation}, {} records) into {}; the search index was rebuilt",
        manifest.created.format("%Y-%m-%d %H:%M:%S UTC"),
        manifest.records,
        config.data_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where a command's output goes and its input comes from: this process's own streams, or
/// those of a client of the control channel.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// What a client sent as standard input (`None`: this process's own, a terminal perhaps).
    pub stdin: Option<&'a mut dyn BufRead>,
    /// Whether standard error is a terminal (progress bars).
    pub terminal: bool,
}

/// What a command runs over: a data directory this process opens, or the services of the
/// running server.
pub enum Backing<'a> {
    Local(&'a Config),
    Server { config: &'a Config, services: &'a Services },
}

impl Backing<'_> {
    fn config(&self) -> &Config {
        match self {
            Self::Local(c) | Self::Server { config: c, .. } => c,
        }
    }

    /// The catalogue (locally: not seeded, no state database opened).
    fn catalogue(&self) -> anyhow::Result<Arc<Catalogue>> {
        match self {
            Self::Local(c) => Ok(Arc::new(vardkatalog::app::open_catalogue(c)?)),
            Self::Server { services, .. } => Ok(services.catalogue.clone()),
        }
    }

    /// The catalogue, seeded when empty.
    fn seeded(&self) -> anyhow::Result<Arc<Catalogue>> {
        match self {
            Self::Local(c) => vardkatalog::app::open_and_seed(c),
            Self::Server { services, .. } => Ok(services.catalogue.clone()),
        }
    }

    /// Every service.
    fn services(&self) -> anyhow::Result<Services> {
        match self {
            Self::Local(c) => vardkatalog::app::services(c),
            Self::Server { services, .. } => Ok((*services).clone()),
        }
    }

    /// The accounts (locally: only the state database is opened).
    fn accounts(&self) -> anyhow::Result<vardkatalog::accounts::Accounts> {
        match self {
            Self::Local(c) => Ok(vardkatalog::accounts::Accounts::new(vardkatalog::app::open_state(c)?)),
            Self::Server { services, .. } => Ok(services.accounts.clone()),
        }
    }
}

/// What a command sends a running server besides its arguments.
#[derive(Default)]
struct Forward {
    /// Files it reads: sent with the request (the server may not see this machine's paths, or
    /// not with this user's rights).
    inputs: Vec<PathBuf>,
    /// Paths it writes: made absolute, written by the server.
    outputs: Vec<PathBuf>,
    /// It reads a password: asked here, sent as standard input.
    password: bool,
}

impl Command {
    /// How the command reaches a data directory a running server holds; `None` for those that
    /// never open it through a server. A new command is one line here.
    fn forwarding(&self) -> Option<Forward> {
        let plain = Forward::default();
        match self {
            Self::Serve { .. } | Self::Restore { .. } | Self::Validate { .. } | Self::CheckExtract { schema: Some(_), .. } => None,
            Self::CheckExtract { file, .. } => Some(Forward { inputs: vec![file.clone()], ..plain }),
            Self::Import { file, mapping, .. } => {
                let mapping_file = mapping.as_deref().filter(|m| vardkatalog::ingest::tabular::Mapping::preset(m).is_none());
                Some(Forward { inputs: std::iter::once(file.clone()).chain(mapping_file.map(PathBuf::from)).collect(), ..plain })
            }
            Self::User { action: UserAction::Add { .. } | UserAction::Passwd { .. } } => Some(Forward { password: true, ..plain }),
            Self::User { action: UserAction::List | UserAction::Organisations { .. } }
            | Self::Token { .. }
            | Self::Reindex
            | Self::Quality { .. }
            | Self::Harvest { .. } => Some(plain),
            Self::Export { output, .. } => Some(Forward { outputs: output.iter().cloned().collect(), ..plain }),
            Self::Backup { dir } => Some(Forward { outputs: vec![dir.clone()], ..plain }),
        }
    }
}

impl Forward {
    /// The request for a server: this process's arguments without the global options (the
    /// server has its own), `--name=value` split in two, inputs attached, outputs absolute.
    fn request(&self, _command: &Command) -> anyhow::Result<vardkatalog::control::Request> {
        let mut raw = Vec::new();
        for a in std::env::args_os().skip(1) {
            let a = a.into_string().map_err(|a| anyhow::anyhow!("the argument {a:?} is not UTF-8"))?;
            match a.split_once('=') {
                Some((k, v)) if k.starts_with("--") => {
                    raw.push(k.to_owned());
                    raw.push(v.to_owned());
                }
                _ => raw.push(a),
            }
        }
        let mut args = Vec::new();
        let mut it = raw.into_iter();
        while let Some(a) = it.next() {
            if a == "--config" || a == "--data-dir" {
                it.next();
            } else {
                args.push(a);
            }
        }
        let position = |args: &[String], path: &std::path::Path| args.iter().rposition(|a| std::path::Path::new(a) == path);
        let mut files = Vec::new();
        for input in &self.inputs {
            let at = position(&args, input).with_context(|| format!("{} is not among the arguments", input.display()))?;
            let bytes = std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
            let name = input.file_name().and_then(|n| n.to_str()).unwrap_or("input").to_owned();
            files.push((at, name, bytes));
        }
        for output in &self.outputs {
            let at = position(&args, output).with_context(|| format!("{} is not among the arguments", output.display()))?;
            args[at] = std::path::absolute(output)?.display().to_string();
        }
        let mut stdin = Vec::new();
        if self.password {
            let password =
                read_password(true, &mut Io { out: &mut std::io::sink(), err: &mut std::io::stderr(), stdin: None, terminal: false })?;
            stdin = format!("{password}\n").into_bytes();
            if !args.iter().any(|a| a == "--password-stdin") {
                args.push("--password-stdin".to_owned());
            }
        }
        Ok(vardkatalog::control::Request { args, stdin, files })
    }
}

/// Where `check-extract --submit` sends its report.
struct Submit<'a> {
    url: &'a str,
    token: &'a str,
    region: &'a str,
    period: &'a str,
}

/// The endpoint of a collection's reports under a catalogue's address (or the address itself
/// when it already names the endpoint).
fn submit_endpoint(url: &str, collection: &str) -> String {
    let url = url.trim();
    if url.trim_end_matches('/').ends_with("/leveranser") {
        return url.trim_end_matches('/').to_owned();
    }
    format!("{}/api/v1/datainsamling/{collection}/leveranser", url.trim_end_matches('/'))
}

/// Sends the report's counts (never values) and says what the catalogue answered.
fn submit_report(
    submit: &Submit<'_>,
    collection: &str,
    report: &vardkatalog::validate::extract::Report,
    io: &mut Io<'_>,
    json: bool,
) -> anyhow::Result<()> {
    use vardkatalog::label::Submitted;
    if !vardkatalog::label::delivery::valid_period(submit.period) {
        bail!("--period {} is not YYYY or YYYY-MM", submit.period);
    }
    let body = serde_json::to_vec(&Submitted::from_report(report, submit.region, submit.period))?;
    let endpoint = submit_endpoint(submit.url, collection);
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("vardkatalog/", env!("CARGO_PKG_VERSION"), " (check-extract)"))
        .build()?;
    let res = client
        .post(&endpoint)
        .header(reqwest::header::AUTHORIZATION, format!("Bearer {}", submit.token))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .with_context(|| format!("the report could not be sent to {endpoint}"))?;
    let status = res.status();
    let text = res.text().unwrap_or_default();
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if status.as_u16() != 201 {
        let detail = answer["detail"].as_str().unwrap_or(text.as_str());
        // problem+json: the refused field at its JSON Pointer
        let field = answer["errors"][0]["pointer"].as_str().filter(|f| !f.is_empty()).map(|f| format!(" ({f})")).unwrap_or_default();
        bail!("{endpoint} refused the report: {status}{field}: {detail}");
    }
    let line = format!("sent to {endpoint}: report {} for {} {}", answer["id"], submit.region, submit.period);
    if json {
        writeln!(io.err, "{line}")?;
    } else {
        writeln!(io.out, "{line}")?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn check_extract(
    backing: &Backing<'_>,
    collection: Option<&str>,
    schema: Option<&std::path::Path>,
    file: &std::path::Path,
    json: bool,
    lang: vardkatalog::config::Lang,
    submit: Option<Submit<'_>>,
    io: &mut Io<'_>,
) -> anyhow::Result<u8> {
    use vardkatalog::validate::collection::CollectionSpec;
    use vardkatalog::validate::extract;
    let spec = match (collection, schema) {
        (_, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let value: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
            CollectionSpec::from_table_schema(&value).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        (Some(id), None) => {
            // locally, only a catalogue that is there: a fresh one would be the seed, not the
            // catalogue the region delivers to
            if let Backing::Local(c) = backing
                && c.remote_store.is_none()
                && !c.store_dir().exists()
            {
                bail!(
                    "there is no catalogue in {}: --collection reads the collection from the data directory of a running catalogue (`vardkatalog serve`). To check a delivery on a machine without the catalogue, download the collection's Table Schema (/datainsamling/{id}/tableschema.json on the catalogue's site) and run `vardkatalog check-extract --schema {id}-tableschema.json FILE`",
                    c.data_dir.display()
                );
            }
            let catalogue = backing.catalogue()?;
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
        writeln!(io.out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(io.out, "{}", render_report(&report, lang))?;
    }
    if let Some(submit) = &submit {
        submit_report(submit, collection.unwrap_or(&spec.id), &report, io, json)?;
    }
    Ok(if report.passed { 0 } else { 1 })
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
        if !f.did_you_mean.is_empty() {
            let pairs: Vec<String> = f.did_you_mean.iter().map(|s| format!("{} → {}", s.found, s.suggestion)).collect();
            let _ = writeln!(out, "    {} {}", if en { "did you mean:" } else { "menade du:" }, pairs.join(", "));
        }
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
) -> anyhow::Result<u8> {
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
            return Ok(2);
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
    Ok(if report.passes() { 0 } else { 1 })
}

fn user_command(backing: &Backing<'_>, action: &UserAction, io: &mut Io<'_>) -> anyhow::Result<u8> {
    use vardkatalog::accounts::{AccountError, Role, valid_name};
    let accounts = backing.accounts()?;
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
            let password = read_password(*password_stdin, io)?;
            accounts.add("cli", name, role, &password)?;
            writeln!(io.out, "added {name} ({})", role.as_str())?;
        }
        UserAction::List => {
            for u in accounts.list()? {
                writeln!(io.out, "{}\t{}\t{}", u.name, u.role.as_str(), if u.disabled { "disabled" } else { "active" })?;
            }
        }
        UserAction::Organisations { name, agents } => {
            if accounts.get(name)?.is_none() {
                bail!("{}", AccountError::NotFound(name.clone()));
            }
            let services = backing.services()?;
            let by = vardkatalog::accounts::Actor { user: "cli".into(), role: Role::Admin };
            let orgs = services.labels.set_organisations(&by, name, agents).map_err(|e| anyhow::anyhow!(e.message(true)))?;
            writeln!(io.out, "{name} works for: {}", if orgs.is_empty() { "(none)".to_owned() } else { orgs.join(" ") })?;
        }
        UserAction::Passwd { name, password_stdin } => {
            if accounts.get(name)?.is_none() {
                bail!("{}", AccountError::NotFound(name.clone()));
            }
            let password = read_password(*password_stdin, io)?;
            accounts.set_password("cli", name, &password)?;
            writeln!(io.out, "changed the password of {name}")?;
        }
    }
    Ok(0)
}

fn token_command(backing: &Backing<'_>, action: &TokenAction, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let accounts = backing.accounts()?;
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    match action {
        TokenAction::Create { user, expires_days } => {
            let (token, secret) = accounts.issue_token("cli", user, *expires_days)?;
            writeln!(io.err, "token {} for {} (expires {}); it is shown only now:", token.id, token.user, day(token.expires))?;
            writeln!(io.out, "{secret}")?;
        }
        TokenAction::List => {
            writeln!(io.out, "id\tuser\tcreated\texpires\tlast_used\trevoked")?;
            for t in accounts.tokens()? {
                writeln!(
                    io.out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.user,
                    day(Some(t.created)),
                    day(t.expires),
                    day(t.last_used),
                    day(t.revoked)
                )?;
            }
        }
        TokenAction::Revoke { id } => {
            let t = accounts.revoke_token("cli", id)?;
            writeln!(io.out, "revoked token {} of {}", t.id, t.user)?;
        }
    }
    Ok(0)
}

/// A password from standard input's first line (the client's, for a command sent to a running
/// server), or typed twice at a prompt without echo.
fn read_password(from_stdin: bool, io: &mut Io<'_>) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if let Some(input) = io.stdin.as_deref_mut() {
        let mut line = String::new();
        input.read_line(&mut line)?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        if p.is_empty() {
            bail!("no password on standard input");
        }
        return Ok(p);
    }
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

fn quality(backing: &Backing<'_>, online: bool, json: bool, lang: vardkatalog::config::Lang, io: &mut Io<'_>) -> anyhow::Result<u8> {
    use std::fmt::Write as _;
    use vardkatalog::validate::mqa::{Dimension, MAX_POINTS};
    let config = backing.config();
    let catalogue = backing.seeded()?;
    let service = vardkatalog::validate::quality::Quality::new(catalogue, config.vocabularies.clone(), config.quality.clone())?
        .with_address_guard(config.harvest.guard());
    let started = std::time::Instant::now();
    let score = service.assess(online)?;
    tracing::info!(datasets = score.datasets.len(), ms = started.elapsed().as_millis() as u64, online, "scored the catalogue");
    if json {
        writeln!(io.out, "{}", serde_json::to_string_pretty(&score.to_json())?)?;
        return Ok(0);
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
    write!(io.out, "{out}")?;
    Ok(0)
}

/// Serves until SIGTERM or SIGINT: then requests under way finish (up to the shutdown time),
/// the control channel closes, and the store and the state database are flushed.
fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let running = vardkatalog::app::build(&config)?;
        // the control channel: commands run on this data directory go through this server
        let secret = vardkatalog::control::new_secret();
        let (control, control_addr) = vardkatalog::web::control::server(secret.clone(), control_handler(&config, &running.services))?;
        let published = vardkatalog::control::Published::write(&config.data_dir, control_addr, secret)
            .with_context(|| format!("cannot write the control file in {}", config.data_dir.display()))?;
        let control_handle = control.handle();
        let control_task = actix_web::rt::spawn(control);
        tracing::info!(
            url = %format!("http://{}", running.addr),
            base_iri = %config.base_iri,
            data_dir = %config.data_dir.display(),
            "Vårdkatalogen is serving"
        );
        let served = running.server.await.context("the server stopped with an error");
        tracing::info!("stopping: requests under way have finished");
        drop(published);
        control_handle.stop(true).await;
        let _ = control_task.await;
        running.services.flush().context("flushing the store and the state database")?;
        served?;
        tracing::info!("stopped; the store and the state database are flushed");
        Ok(ExitCode::SUCCESS)
    })
}

/// What the control channel runs: the command line's own commands, over this server's services.
fn control_handler(config: &Config, services: &Services) -> vardkatalog::web::control::Handler {
    let (config, services) = (config.clone(), services.clone());
    Arc::new(move |args: Vec<String>, stdin: Vec<u8>, out: &mut dyn Write, err: &mut dyn Write| {
        let parsed = match Args::try_parse_from(std::iter::once("vardkatalog".to_owned()).chain(args)) {
            Ok(a) => a,
            Err(e) => {
                let _ = write!(err, "{e}");
                return 2;
            }
        };
        if parsed.command.forwarding().is_none() {
            let _ = writeln!(err, "error: this command does not run through a server");
            return 2;
        }
        let mut input = std::io::Cursor::new(stdin);
        let mut io = Io { out, err, stdin: Some(&mut input), terminal: false };
        match execute(&parsed.command, &Backing::Server { config: &config, services: &services }, &mut io) {
            Ok(code) => code,
            Err(e) => {
                let _ = writeln!(io.err, "error: {e:#}");
                1
            }
        }
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

fn import_spreadsheet(backing: &Backing<'_>, r: SpreadsheetImport<'_>, io: &mut Io<'_>) -> anyhow::Result<u8> {
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
    let services = backing.services()?;
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
    write!(io.out, "{}", render_plan(&catalogue, &plan, lang))?;
    if plan.has_errors() {
        writeln!(
            io.out,
            "{}",
            if lang == "en" {
                "Nothing was imported: correct the errors and try again."
            } else {
                "Inget importerades: rätta felen och försök igen."
            }
        )?;
        return Ok(1);
    }
    if r.dry_run {
        writeln!(io.out, "{}", if lang == "en" { "Dry run: nothing was written." } else { "Provkörning: inget skrevs." })?;
        return Ok(0);
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
    let saved = curation.save_drafts(&actor, records, &message);
    vardkatalog::metrics::imported("spreadsheet", saved.is_ok());
    saved.with_context(|| format!("{name} was not imported; nothing was saved"))?;
    writeln!(
        io.out,
        "{}",
        if lang == "en" {
            format!("{n} records saved as drafts; they are published after review.")
        } else {
            format!("{n} poster sparades som utkast; de publiceras efter granskning.")
        }
    )?;
    Ok(0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_held_elsewhere_is_named_with_the_way_out() {
        let check = Args::parse_from(["vardkatalog", "check-extract", "--collection", "vardplatser", "l.csv"]).command;
        let dir = std::path::Path::new("/var/lib/vardkatalog");
        let said = held_elsewhere(dir, Some(std::io::ErrorKind::PermissionDenied), &check);
        assert!(said.contains("/var/lib/vardkatalog is held by another process"), "{said}");
        assert!(said.contains("/var/lib/vardkatalog/control.json is not readable by this user"), "{said}");
        assert!(said.contains("sudo -u USER"), "{said}");
        assert!(said.contains("check-extract --schema tableschema.json FILE"), "a delivery needs no data directory: {said}");
        let reindex = Args::parse_from(["vardkatalog", "reindex"]).command;
        let said = held_elsewhere(dir, Some(std::io::ErrorKind::NotFound), &reindex);
        assert!(said.contains("no server published its control channel") && !said.contains("--schema"), "{said}");
    }
}
