//! The words of the pages, in Swedish and English. Swedish is the default everywhere.

use crate::config::Lang;
use crate::model::record::RecordKind;

/// Every fixed text the templates show.
pub struct Texts {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: &'static str,
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_search: &'static str,
    pub nav_collections: &'static str,
    pub nav_validate: &'static str,
    pub check_delivery: &'static str,
    pub nav_list: &'static str,
    pub nav_datasets: &'static str,
    pub nav_variables: &'static str,
    pub nav_codelists: &'static str,
    pub nav_usecases: &'static str,
    pub nav_agents: &'static str,
    pub nav_standards: &'static str,
    pub nav_about: &'static str,
    pub about_data_title: &'static str,
    pub footer_data_link: &'static str,
    pub footer_text: &'static str,
    pub home_lead: &'static str,
    pub home_search_label: &'static str,
    pub home_search_hint: &'static str,
    pub home_counts: &'static str,
    pub home_usecases: &'static str,
    pub home_datasets: &'static str,
    pub home_for_whom: &'static str,
    pub home_researchers: &'static str,
    pub home_researchers_text: &'static str,
    pub home_regions: &'static str,
    pub home_regions_text: &'static str,
    pub home_harvesters: &'static str,
    pub home_harvesters_text: &'static str,
    pub datasets: &'static str,
    pub variables: &'static str,
    pub codelists: &'static str,
    pub usecases: &'static str,
    pub agents: &'static str,
    pub standards: &'static str,
    pub page_of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pagination: &'static str,
    pub showing: &'static str,
    pub of: &'static str,
    pub needs_input: &'static str,
    pub permanent_link: &'static str,
    pub state: &'static str,
    pub version: &'static str,
    pub modified: &'static str,
    pub record_info: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub not_found_record: &'static str,
    pub not_found_try: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub coverage: &'static str,
    pub coverage_open: &'static str,
    /// The codes' validity periods (`views::Timeline`).
    pub timeline: &'static str,
    pub timeline_period: &'static str,
    pub timeline_always: &'static str,
    pub about_title: &'static str,
    pub published_versions: &'static str,
    pub nav_changes: &'static str,
}

static SV: Texts = Texts {
    lang: "sv",
    other_lang: "en",
    other_lang_name: "English",
    site_name: "Vårdkatalogen",
    tagline: "Katalog över hälsodata och variabler",
    skip_to_content: "Hoppa till innehållet",
    nav_label: "Huvudmeny",
    nav_home: "Start",
    nav_search: "Sök",
    nav_collections: "Datainsamlingar",
    nav_validate: "Kontroll",
    check_delivery: "Kontrollera en leverans",
    nav_list: "Min variabellista",
    nav_datasets: "Datamängder",
    nav_variables: "Variabler",
    nav_codelists: "Kodlistor",
    nav_usecases: "Användningsfall",
    nav_agents: "Organisationer",
    nav_standards: "Kodverk",
    nav_about: "Om katalogen",
    about_data_title: "Data för maskiner: skördning, SPARQL och API",
    footer_data_link: "Skördningsadress, SPARQL och API",
    footer_text: "Vårdkatalogen beskriver datamängder och variabler enligt DCAT-AP-SE och HealthDCAT-AP. Innehållet får användas fritt (CC0).",
    home_lead: "En gemensam katalog över regionernas och de nationella registrens datamängder och variabler: definitioner, kodlistor, tidstäckning och vem som håller dem.",
    home_search_label: "Sök variabler, datamängder och koder",
    home_search_hint: "Till exempel",
    home_counts: "Katalogen i siffror",
    home_usecases: "Användningsfall",
    home_datasets: "Datamängder och register",
    home_for_whom: "Vem katalogen är till för",
    home_researchers: "Forskare",
    home_researchers_text: "Hitta vilka register som har de variabler du behöver, hur de är kodade och vilka år de finns.",
    home_regions: "Regioner",
    home_regions_text: "Se vilka fält en beskrivning och en dataleverans måste innehålla.",
    home_harvesters: "Hälsodataåtkomstorgan och portaler",
    home_harvesters_text: "Skörda katalogen som DCAT-AP-SE och HealthDCAT-AP.",
    datasets: "Datamängder",
    variables: "Variabler",
    codelists: "Kodlistor",
    usecases: "Användningsfall",
    agents: "Organisationer",
    standards: "Kodverk",
    page_of: "Sida",
    previous: "Föregående",
    next: "Nästa",
    pagination: "Sidnavigering",
    showing: "Visar",
    of: "av",
    needs_input: "Uppgifter saknas:",
    permanent_link: "Permanent länk",
    state: "Status",
    version: "Version",
    modified: "Senast ändrad",
    record_info: "Om posten",
    not_found_title: "Sidan finns inte",
    not_found_text: "Vi hittar ingen sida på adressen",
    not_found_record: "Det finns ingen publicerad post med det id:t.",
    not_found_try: "Du kan i stället bläddra bland",
    error_title: "Något gick fel",
    error_text: "Ett fel uppstod när sidan skulle visas. Felet är loggat; försök igen om en stund.",
    coverage: "Tidstäckning",
    coverage_open: "pågående",
    timeline: "Kodernas giltighet",
    timeline_period: "Giltig",
    timeline_always: "utan angiven giltighetstid",
    about_title: "Om Vårdkatalogen",
    published_versions: "Publicerade versioner",
    nav_changes: "Ändringar",
};

static EN: Texts = Texts {
    lang: "en",
    other_lang: "sv",
    other_lang_name: "Svenska",
    site_name: "Vårdkatalogen",
    tagline: "Catalogue of health data and variables",
    skip_to_content: "Skip to content",
    nav_label: "Main menu",
    nav_home: "Home",
    nav_search: "Search",
    nav_collections: "Data collections",
    nav_validate: "Validator",
    check_delivery: "Check a delivery",
    nav_list: "My variable list",
    nav_datasets: "Datasets",
    nav_variables: "Variables",
    nav_codelists: "Code lists",
    nav_usecases: "Use cases",
    nav_agents: "Organisations",
    nav_standards: "Coding systems",
    nav_about: "About",
    about_data_title: "Data for machines: harvesting, SPARQL and API",
    footer_data_link: "Harvest address, SPARQL and API",
    footer_text: "Vårdkatalogen describes datasets and variables in DCAT-AP-SE and HealthDCAT-AP. The content may be reused freely (CC0).",
    home_lead: "One catalogue of the datasets and variables held by Sweden's regions and national registers: definitions, code lists, time coverage and who holds them.",
    home_search_label: "Search variables, datasets and codes",
    home_search_hint: "For example",
    home_counts: "The catalogue in numbers",
    home_usecases: "Use cases",
    home_datasets: "Datasets and registers",
    home_for_whom: "Who the catalogue is for",
    home_researchers: "Researchers",
    home_researchers_text: "Find which registers hold the variables you need, how they are coded and for which years.",
    home_regions: "Regions",
    home_regions_text: "See which fields a description and a data delivery must carry.",
    home_harvesters: "Health data access bodies and portals",
    home_harvesters_text: "Harvest the catalogue as DCAT-AP-SE and HealthDCAT-AP.",
    datasets: "Datasets",
    variables: "Variables",
    codelists: "Code lists",
    usecases: "Use cases",
    agents: "Organisations",
    standards: "Coding systems",
    page_of: "Page",
    previous: "Previous",
    next: "Next",
    pagination: "Pagination",
    showing: "Showing",
    of: "of",
    needs_input: "Information missing:",
    permanent_link: "Permanent link",
    state: "Status",
    version: "Version",
    modified: "Last modified",
    record_info: "About this record",
    not_found_title: "Page not found",
    not_found_text: "There is no page at",
    not_found_record: "There is no published record with that id.",
    not_found_try: "You can browse",
    error_title: "Something went wrong",
    error_text: "An error occurred while showing this page. It has been logged; please try again shortly.",
    coverage: "Time coverage",
    coverage_open: "ongoing",
    timeline: "When the codes are valid",
    timeline_period: "Valid",
    timeline_always: "no validity period given",
    about_title: "About Vårdkatalogen",
    published_versions: "Published versions",
    nav_changes: "Changes",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// Labels of fields on record pages, by key, in the page language.
pub fn field(lang: Lang, key: &str) -> &'static str {
    let en = lang == Lang::En;
    macro_rules! l {
        ($sv:literal, $en:literal) => {
            if en { $en } else { $sv }
        };
    }
    match key {
        "identifier" => l!("Identifierare", "Identifier"),
        "technical_name" => l!("Tekniskt namn", "Technical name"),
        "definition" => l!("Definition", "Definition"),
        "description" => l!("Beskrivning", "Description"),
        "publisher" => l!("Utgivare", "Publisher"),
        "owner" => l!("Ägare", "Owner"),
        "contact" => l!("Kontakt", "Contact"),
        "keywords" => l!("Nyckelord", "Keywords"),
        "themes" => l!("Teman", "Themes"),
        "spatial" => l!("Geografiskt område", "Geographical coverage"),
        "temporal" => l!("Tidsperiod", "Temporal coverage"),
        "access_rights" => l!("Åtkomsträttigheter", "Access rights"),
        "frequency" => l!("Uppdateringsfrekvens", "Update frequency"),
        "language" => l!("Språk", "Language"),
        "dataset_type" => l!("Typ av datamängd", "Dataset type"),
        "landing_page" => l!("Ingångssida", "Landing page"),
        "documentation" => l!("Dokumentation", "Documentation"),
        "conforms_to" => l!("Följer standard", "Conforms to"),
        "provenance" => l!("Ursprung", "Provenance"),
        "legislation" => l!("Tillämplig lagstiftning", "Applicable legislation"),
        "part_of" => l!("Del av", "Part of"),
        "parts" => l!("Delmängder", "Subsets"),
        "in_series" => l!("Ingår i serie", "In series"),
        "health" => l!("Hälsodata (HealthDCAT-AP)", "Health data (HealthDCAT-AP)"),
        "health_category" => l!("Hälsodatakategori", "Health category"),
        "health_theme" => l!("Hälsotema", "Health theme"),
        "hdab" => l!("Hälsodataåtkomstorgan", "Health data access body"),
        "coding_systems" => l!("Kodverk", "Coding systems"),
        "population" => l!("Population", "Population coverage"),
        "records" => l!("Antal poster", "Number of records"),
        "individuals" => l!("Antal unika individer", "Number of unique individuals"),
        "ages" => l!("Typiska åldrar", "Typical ages"),
        "personal_data" => l!("Personuppgifter", "Personal data"),
        "purpose" => l!("Ändamål", "Purpose"),
        "overview" => l!("Översikt", "Overview"),
        "distributions" => l!("Distributioner", "Distributions"),
        "access_url" => l!("Åtkomstadress", "Access URL"),
        "download_url" => l!("Nedladdning", "Download"),
        "format" => l!("Format", "Format"),
        "media_type" => l!("Medietyp", "Media type"),
        "license" => l!("Licens", "Licence"),
        "rights" => l!("Rättigheter", "Rights"),
        "availability" => l!("Tillgänglighet", "Availability"),
        "byte_size" => l!("Storlek (byte)", "Size (bytes)"),
        "endpoint" => l!("Ändpunkt", "Endpoint"),
        "endpoint_description" => l!("Beskrivning av ändpunkt", "Endpoint description"),
        "serves" => l!("Tillhandahåller", "Serves dataset"),
        "datatype" => l!("Datatyp", "Data type"),
        "code_list" => l!("Kodlista", "Code list"),
        "unit" => l!("Enhet (UCUM)", "Unit (UCUM)"),
        "range" => l!("Värdeintervall", "Value range"),
        "missing" => l!("Koder för saknade värden", "Missing-value codes"),
        "missing_meanings" => l!("Saknade värden och vad de betyder", "Missing values and what they mean"),
        "missing_value" => l!("Värde", "Value"),
        "meaning" => l!("Betydelse", "Meaning"),
        "temporality" => l!("Temporalitet", "Temporality"),
        "unit_type" => l!("Enhetstyp", "Unit type"),
        "datasets" => l!("Finns i datamängder", "Held in datasets"),
        "reference_group" => l!("Referensgrupp", "Reference group"),
        "priority" => l!("Prioritet", "Priority"),
        "requirements" => l!("Krav i datainsamlingar", "Requirement in data collections"),
        "io_note" => l!("Skillnad mellan in- och utdata", "Input and output differ"),
        "concept" => l!("Begrepp", "Concept"),
        "exact_match" => l!("Motsvarar", "Exact match"),
        "scope_note" => l!("Anmärkning", "Note"),
        "synonyms" => l!("Synonymer", "Synonyms"),
        "code_pattern" => l!("Kodernas form (reguljärt uttryck)", "Form of the codes (regular expression)"),
        "source" => l!("Källa", "Source"),
        "see_also" => l!("Se även", "See also"),
        "related" => l!("Relaterade variabler", "Related variables"),
        "use_cases" => l!("Användningsfall", "Use cases"),
        "variables_in" => l!("Variabler", "Variables"),
        "codes" => l!("Koder", "Codes"),
        "code" => l!("Kod", "Code"),
        "label_sv" => l!("Benämning", "Label (Swedish)"),
        "label_en" => l!("Benämning (engelska)", "Label"),
        "valid_from" => l!("Giltig från", "Valid from"),
        "valid_to" => l!("Giltig till", "Valid to"),
        "in_scheme" => l!("Kodlista", "Code list"),
        "broader" => l!("Överordnad kod", "Broader code"),
        "variables_using" => l!("Variabler som använder kodlistan", "Variables using this code list"),
        "variables_coded" => l!("Variabler kodade med kodverket", "Variables coded with this system"),
        "oid" => l!("OID", "OID"),
        "same_as" => l!("Samma som", "Same as"),
        "version_of" => l!("Version av", "Version of"),
        "org_type" => l!("Typ av organisation", "Type of organisation"),
        "org_number" => l!("Organisationsnummer", "Organisation number"),
        "homepage" => l!("Webbplats", "Website"),
        "email" => l!("E-post", "E-mail"),
        "region" => l!("Län", "County"),
        "published_datasets" => l!("Datamängder som organisationen ger ut", "Datasets it publishes"),
        "owned" => l!("Poster som organisationen äger", "Records it owns"),
        "published_other" => l!("Kodlistor och kodverk som organisationen ger ut", "Code lists and coding systems it publishes"),
        "agent_records" => l!("Poster", "Records"),
        "collection" => l!("Datainsamling", "Data collection"),
        "level" => l!("Krav", "Requirement"),
        "condition" => l!("Villkor", "Condition"),
        "label" => l!("Benämning", "Label"),
        "label_other" => l!("Benämning på engelska", "Label in Swedish"),
        "definition_other" => l!("Definition på engelska", "Definition in Swedish"),
        "years" => l!("År", "Years"),
        "title" => l!("Titel", "Title"),
        "issued" => l!("Utgivningsdatum", "Date of issue"),
        "modified_date" => l!("Senast ändrad", "Last modified"),
        "version" => l!("Version", "Version"),
        "version_notes" => l!("Versionsanteckningar", "Version notes"),
        "name" => l!("Namn", "Name"),
        _ => "",
    }
}

/// The heading of a list of `kind`.
pub fn list_heading(kind: RecordKind, lang: Lang) -> String {
    let t = texts(lang);
    match kind {
        RecordKind::Dataset => t.datasets.into(),
        RecordKind::Variable => t.variables.into(),
        RecordKind::CodeList => t.codelists.into(),
        RecordKind::UseCase => t.usecases.into(),
        RecordKind::Agent => t.agents.into(),
        RecordKind::Standard => t.standards.into(),
        RecordKind::Distribution => {
            if lang == Lang::En {
                "Distributions".into()
            } else {
                "Distributioner".into()
            }
        }
        RecordKind::DataService => {
            if lang == Lang::En {
                "Data services".into()
            } else {
                "Datatjänster".into()
            }
        }
        _ => kind.label(lang.code()).into(),
    }
}

/// One fixed text in Swedish and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub sv: &'static str,
    pub en: &'static str,
}

impl Word {
    pub const fn new(sv: &'static str, en: &'static str) -> Self {
        Self { sv, en }
    }

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        if lang == Lang::En { self.en } else { self.sv }
    }
}

/// Words of signing in and the accounts page.
pub mod accounts {
    use super::Word;
    use crate::config::Lang;

    pub const SIGN_IN: Word = Word::new("Logga in", "Sign in");
    pub const ACCOUNTS: Word = Word::new("Användare", "Accounts");
    pub const WRONG_PASSWORD: Word = Word::new("Fel användarnamn eller lösenord.", "Wrong user name or password.");
    pub const CHOOSE_ROLE: Word = Word::new("Välj en roll.", "Choose a role.");
    pub const UNKNOWN_ACTION: Word = Word::new("Okänd åtgärd.", "Unknown action.");

    pub fn wait(lang: Lang, secs: i64) -> String {
        match lang {
            Lang::En => format!("Too many failed sign-ins. Try again in {secs} seconds."),
            Lang::Sv => format!("För många misslyckade inloggningar. Försök igen om {secs} sekunder."),
        }
    }

    pub fn added(lang: Lang, name: &str) -> String {
        match lang {
            Lang::En => format!("Added {name}."),
            Lang::Sv => format!("{name} är tillagd."),
        }
    }

    pub const BAD_DAYS: Word =
        Word::new("Giltighetstiden ska vara ett antal dagar (eller tom).", "The lifetime must be a number of days (or empty).");

    pub fn token_issued(lang: Lang, name: &str) -> String {
        match lang {
            Lang::En => format!("A token for {name}. Copy it now: it is shown only this once."),
            Lang::Sv => format!("En token för {name}. Kopiera den nu: den visas bara den här gången."),
        }
    }

    pub fn token_revoked(lang: Lang, id: &str) -> String {
        match lang {
            Lang::En => format!("Token {id} is revoked."),
            Lang::Sv => format!("Token {id} är återkallad."),
        }
    }

    pub fn changed(lang: Lang, name: &str) -> String {
        match lang {
            Lang::En => format!("Changed {name}."),
            Lang::Sv => format!("{name} är ändrad."),
        }
    }
}

/// Words of the page for machines (`/om/data`) about the JSON API.
pub mod about_data {
    use super::Word;

    pub const API_INTRO: Word = Word::new(
        "Varje posttyp som redaktörerna arbetar med kan läsas och skrivas som JSON under /api/v1: datamängder, variabler, kodlistor med sina koder, användningsfall och datainsamlingar. Lista, hämta, skapa, ändra (med If-Match: den som ändrade från en gammal revision får 412) och arbetsflödets steg, en post i taget eller många i en sats där allt eller inget sparas. Läsning är öppen; skrivning kräver en API-token (Authorization: Bearer) som en administratör utfärdar för ett konto, och token har kontots roll.",
        "Every kind of record the editors work on can be read and written as JSON under /api/v1: datasets, variables, code lists with their codes, use cases and data collections. List, get, create, change (with If-Match: a change from an old revision gets 412) and the workflow's steps, one record at a time or many in a batch that saves all or nothing. Reading is open; writing needs an API token (Authorization: Bearer) that an administrator issues for an account, and the token has the account's role.",
    );
    pub const API_PAGE: Word = Word::new(
        "varje operation med sina parametrar och svar, för människor",
        "every operation with its parameters and answers, for people",
    );
    pub const API_DOCUMENT: Word = Word::new(
        "OpenAPI 3.1-beskrivningen, för verktyg och kodgeneratorer",
        "the OpenAPI 3.1 description, for tools and code generators",
    );
    pub const API_LIST: Word = Word::new(
        "publicerade variabler, en sida i taget (page, page_size, modified_since, sökningens filter)",
        "published variables, a page at a time (page, page_size, modified_since, the search's filters)",
    );
}

/// Words of the delivery check (`/kontroll/leverans`) and the collection pages.
pub mod delivery {
    use super::Word;
    use crate::config::Lang;

    pub const TITLE: Word = Word::new("Kontrollera en leverans", "Check a delivery");
    pub const LEAD: Word = Word::new(
        "Kontrollera en hel leverans mot datainsamlingens kolumner: saknade och okända kolumner, typfel, koder som inte finns i kodlistan, värden utanför intervallet och tomma obligatoriska värden, rad för rad, med antal och radnummer. CSV (avgränsad med ; , tab eller |, i UTF-8 eller Windows-1252) eller XLSX (första bladet).",
        "Check a whole delivery against its data collection's columns: missing and unknown columns, type errors, codes not in the code list, values out of range and empty required values, row by row, with counts and row numbers. CSV (separated by ; , tab or |, in UTF-8 or Windows-1252) or XLSX (the first sheet).",
    );
    pub const NOTHING_KEPT: Word = Word::new(
        "Filen kontrolleras rad för rad medan den skickas, i minnet. Inget av den sparas på servern eller skrivs i någon logg, och inget finns kvar när svaret är skickat. Svaret visar dig radnummer och högst tio exempelvärden per fel. Väljer en regions konto att spara resultatet sparas bara antalen per kolumn, aldrig något värde.",
        "The file is checked row by row as it is sent, in memory. Nothing of it is stored on the server or written to any log, and nothing is left once the answer is sent. The answer shows you row numbers and at most ten example values per problem. When a region's account chooses to save the result, only the counts per column are kept, never a value.",
    );
    pub const COLLECTION: Word = Word::new("Datainsamling", "Data collection");
    pub const CHOOSE: Word = Word::new("Välj…", "Choose…");
    pub const FILE: Word = Word::new("Leveransfil (CSV eller XLSX)", "Delivery file (CSV or XLSX)");
    pub const FILE_HINT: Word = Word::new("XLSX högst 64 MB, CSV högst 1 GB.", "XLSX at most 64 MB, CSV at most 1 GB.");
    pub const PASTE: Word =
        Word::new("…eller klistra in filens innehåll (rubrikrad och rader)", "…or paste the file's content (header row and rows)");
    pub const PASTE_HINT: Word = Word::new("Kolumner åtskilda med ; , tab eller |.", "Columns separated by ; , tab or |.");
    pub const SUBMIT: Word = Word::new("Kontrollera", "Check");
    pub const PASSED: Word = Word::new("Godkänd: leveransen följer datainsamlingen", "Passed: the delivery follows the data collection");
    pub const FAILED: Word = Word::new("Inte godkänd: leveransen har fel", "Not passed: the delivery has errors");
    pub const ROWS: Word = Word::new("rader", "rows");
    pub const COLUMNS: Word = Word::new("kolumner", "columns");
    pub const ERRORS: Word = Word::new("fel", "errors");
    pub const WARNINGS: Word = Word::new("varningar", "warnings");
    pub const READ_AS: Word = Word::new("Läst som", "Read as");
    pub const DELIMITER: Word = Word::new("avgränsare", "delimiter");
    pub const FINDINGS: Word = Word::new("Vad kontrollen fann", "What the check found");
    pub const SEVERITY: Word = Word::new("Allvar", "Severity");
    pub const PROBLEM: Word = Word::new("Problem", "Problem");
    pub const COUNT: Word = Word::new("Antal", "Count");
    pub const ROW_NUMBERS: Word = Word::new("Rader (de första)", "Rows (the first)");
    pub const EXAMPLES: Word = Word::new("Exempel", "Examples");
    pub const DID_YOU_MEAN: Word = Word::new("Menade du", "Did you mean");
    pub const ERROR: Word = Word::new("Fel", "Error");
    pub const WARNING: Word = Word::new("Varning", "Warning");
    pub const CLI_HEADING: Word = Word::new("Kontrollera utan att skicka filen", "Check without sending the file");
    pub const CLI_TEXT: Word = Word::new(
        "Kommandoradsverktyget vardkatalog gör samma kontroll på din egen dator, utan att filen lämnar den och utan någon katalog: ladda ned datainsamlingens tabellschema (Table Schema) och peka på det. Avslutningsstatus 0 betyder godkänd, 1 att filen har fel. Verktyget byggs från katalogens källkod (se README).",
        "The command-line tool vardkatalog makes the same check on your own machine, without the file leaving it and without any catalogue: download the collection's Table Schema and point to it. Exit status 0 means passed, 1 that the file has errors. The tool is built from the catalogue's source code (see the README).",
    );
    pub const SCHEMA_LINK: Word = Word::new("Ladda ned tabellschemat", "Download the Table Schema");
    pub const CHOOSE_COLLECTION: Word = Word::new("Välj en datainsamling.", "Choose a data collection.");
    pub const NO_FILE: Word = Word::new("Välj en fil eller klistra in innehållet.", "Choose a file or paste the content.");
    pub const EXPIRED: Word = Word::new(
        "Formuläret var för gammalt eller kom från en annan webbplats. Ladda om sidan och försök igen.",
        "The form had expired or came from another site. Reload the page and try again.",
    );
    pub const EMPTY: Word = Word::new("Filen är tom: den har ingen rubrikrad.", "The file is empty: it has no header row.");
    pub const OLD_EXCEL: Word = Word::new(
        "Filen är en äldre Excel-fil (.xls): spara den som .xlsx eller CSV och försök igen.",
        "The file is an older Excel file (.xls): save it as .xlsx or CSV and try again.",
    );
    pub const NOT_A_FORM: Word = Word::new("Sidan skickade inget formulär som kunde läsas.", "The page sent no form that could be read.");
    pub const CHECK_WHOLE: Word = Word::new("Kontrollera en hel leverans här", "Check a whole delivery here");

    pub fn too_large(lang: Lang, what: &str, limit_mb: u64) -> String {
        match lang {
            Lang::En => format!(
                "The file is larger than {limit_mb} MB, the most a {what} file may be here: check it with the command-line tool (below)."
            ),
            Lang::Sv => format!(
                "Filen är större än {limit_mb} MB, det mesta en {what}-fil får vara här: kontrollera den med kommandoradsverktyget (nedan)."
            ),
        }
    }

    pub fn unreadable(lang: Lang, reason: &str) -> String {
        match lang {
            Lang::En => format!("The file could not be checked: {reason}"),
            Lang::Sv => format!("Filen kunde inte kontrolleras: {reason}"),
        }
    }
}

/// Words of the variable list.
pub mod varlist {
    use super::Word;
    use crate::config::Lang;

    pub const MY_LIST: Word = Word::new("Min variabellista", "My variable list");
    pub const SHARED_LIST: Word = Word::new("Delad variabellista", "Shared variable list");
    pub const DATA_REQUEST: Word = Word::new("Ansökan om data", "Data request");
    pub const NO_NAME: Word = Word::new("Ge listan ett namn.", "Give the list a name.");
    pub const TOO_MANY: Word =
        Word::new("Listan har fler variabler än en lista kan ha (500).", "The list has more variables than a list can hold (500).");
    pub const CHANGED_MEANWHILE: Word = Word::new(
        "Listan har ändrats sedan du öppnade den (i en annan flik?). Öppna den igen och gör ändringen på nytt.",
        "The list changed since you opened it (in another tab?). Open it again and make the change anew.",
    );
    /// What forms for research data ask for beside the variables (Swedish register holders'
    /// order forms and the EHDS data access application): filled in by the researcher.
    pub const REQUEST_FIELDS: [Word; 9] = [
        Word::new(
            "Forskningshuvudman (organisation som ansvarar för forskningen)",
            "Research principal (the organisation responsible for the research)",
        ),
        Word::new("Projektets titel", "Title of the project"),
        Word::new("Ansvarig forskare och kontaktuppgifter", "Principal investigator and contact details"),
        Word::new("Syfte och frågeställningar", "Purpose and research questions"),
        Word::new(
            "Etikprövning: Etikprövningsmyndighetens beslut och diarienummer",
            "Ethical review: the decision of the Swedish Ethical Review Authority and its reference number",
        ),
        Word::new(
            "Rättslig grund för behandlingen av personuppgifter (dataskyddsförordningen artikel 6.1 och 9.2)",
            "Legal basis for processing personal data (GDPR Article 6(1) and 9(2))",
        ),
        Word::new("Population, urval och tidsperiod", "Population, selection and period"),
        Word::new("Hur uppgifterna skyddas och var de lagras", "How the data are protected and where they are stored"),
        Word::new(
            "Vid ansökan enligt EHDS: ändamål enligt förordning (EU) 2025/327 artikel 53",
            "When applying under the EHDS: purpose under Regulation (EU) 2025/327 Article 53",
        ),
    ];
    pub const EMPTY_TO_SAVE: Word =
        Word::new("Listan är tom: lägg till variabler innan du sparar den.", "The list is empty: add variables before saving it.");
    pub const LIST_FULL: Word = Word::new(
        "Listan är full: ta bort en variabel innan du lägger till en ny.",
        "The list is full: remove a variable before adding another.",
    );
    pub const UNKNOWN: Word = Word::new("Okänd", "Unknown");
    /// A saved list's way to follow its variables: their changes and the feed of breaking ones.
    pub const FOLLOW: Word = Word::new("Bevaka listans variabler", "Follow the list's variables");
    pub const CHANGES_OF_LIST: Word = Word::new("Publicerade ändringar i listans variabler", "Published changes to the list's variables");
    pub const LIST_FILE: Word = Word::new("variabellista", "variable-list");
    pub const ADD: Word = Word::new("Lägg till i variabellistan", "Add to variable list");
    pub const ADD_SHORT: Word = Word::new("Lägg till", "Add");
    pub const IN_LIST: Word = Word::new("I din variabellista", "In your variable list");
    pub const IN_LIST_SHORT: Word = Word::new("I listan", "In the list");
    pub const REMOVE: Word = Word::new("Ta bort", "Remove");
    pub const COLUMN: Word = Word::new("Variabellista", "Variable list");
    pub const NOTHING_TO_ADD: Word =
        Word::new("Registret har inga publicerade variabler att lägga till.", "The register has no published variables to add.");

    fn variables(lang: Lang, n: usize) -> String {
        match (lang, n) {
            (Lang::En, 1) => "1 variable".to_owned(),
            (Lang::En, n) => format!("{n} variables"),
            (Lang::Sv, 1) => "1 variabel".to_owned(),
            (Lang::Sv, n) => format!("{n} variabler"),
        }
    }

    /// "Lägg till alla 67 i variabellistan"
    pub fn add_all(lang: Lang, n: usize) -> String {
        if lang == Lang::En { format!("Add all {n} to the variable list") } else { format!("Lägg till alla {n} i variabellistan") }
    }

    /// "”Huvuddiagnos” finns nu i din variabellista (3 variabler)."
    pub fn added(lang: Lang, name: &str, count: usize) -> String {
        let n = variables(lang, count);
        if lang == Lang::En {
            format!("“{name}” is now in your variable list ({n}).")
        } else {
            format!("”{name}” finns nu i din variabellista ({n}).")
        }
    }

    /// "”Huvuddiagnos” är borttagen ur din variabellista (2 variabler)."
    pub fn removed(lang: Lang, name: &str, count: usize) -> String {
        let n = variables(lang, count);
        if lang == Lang::En {
            format!("“{name}” was removed from your variable list ({n}).")
        } else {
            format!("”{name}” är borttagen ur din variabellista ({n}).")
        }
    }

    /// "64 variabler lades till i din variabellista (67 variabler)."
    pub fn added_all(lang: Lang, added: usize, count: usize) -> String {
        let (a, n) = (variables(lang, added), variables(lang, count));
        if lang == Lang::En {
            format!("{a} added to your variable list ({n}).")
        } else {
            format!("{a} lades till i din variabellista ({n}).")
        }
    }
}

/// Words of the search page.
pub mod search {
    use super::Word;
    use crate::config::Lang;

    pub const UNDERSTOOD: Word = Word::new("Så förstod sökningen din text", "How the search read your text");
    pub const ONLY_CODED: Word = Word::new("Visa bara variabler kodade med", "Show only variables coded with");

    fn quoted(lang: Lang, text: &str) -> String {
        if lang == Lang::En { format!("“{text}”") } else { format!("”{text}”") }
    }

    fn joined(lang: Lang, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), if lang == Lang::En { "and" } else { "och" }),
        }
    }

    /// "”J18” är en kod i ICD-10-SE." (a code of no coding system the catalogue knows: "… en kod
    /// i kodlistorna:").
    pub fn a_code(lang: Lang, text: &str, systems: &[String], codes: usize) -> String {
        let q = quoted(lang, text);
        let end = if codes > 0 { ":" } else { "." };
        match (lang, systems.is_empty()) {
            (Lang::En, false) => format!("{q} is a code of {}{end}", joined(lang, systems)),
            (Lang::En, true) => format!("{q} is a code in the code lists{end}"),
            (Lang::Sv, false) => format!("{q} är en kod i {}{end}", joined(lang, systems)),
            (Lang::Sv, true) => format!("{q} är en kod i kodlistorna{end}"),
        }
    }

    /// "”höftfraktur” motsvarar koderna:"
    pub fn names_codes(lang: Lang, text: &str) -> String {
        let q = quoted(lang, text);
        if lang == Lang::En { format!("{q} names the codes:") } else { format!("{q} motsvarar koderna:") }
    }

    /// "Variabler som kodas med ICD-10-SE finns därför bland träffarna."
    pub fn coded_found(lang: Lang, systems: &[String]) -> String {
        if lang == Lang::En {
            format!("The variables coded with {} are therefore among the results.", joined(lang, systems))
        } else {
            format!("Variabler som kodas med {} finns därför bland träffarna.", joined(lang, systems))
        }
    }
}

/// Words of the harvest admin pages.
pub mod harvest {
    use super::Word;
    use crate::config::Lang;

    pub const HARVESTING: Word = Word::new("Hämtning", "Harvesting");
    pub const CHOOSE_KIND: Word = Word::new("Välj en typ av källa.", "Choose a kind of source.");

    pub fn source_saved(lang: Lang, id: &str) -> String {
        match lang {
            Lang::En => format!("Saved the source {id}. Scheduled runs start with the next restart."),
            Lang::Sv => format!("Källan {id} är sparad. Schemalagda körningar börjar vid nästa omstart."),
        }
    }

    /// The name of a source's field in a problem.
    pub fn source_field(lang: Lang, field: &str) -> &'static str {
        match (field, lang) {
            ("id", _) => "Id",
            ("url", Lang::Sv) => "Adress",
            ("url", Lang::En) => "URL",
            ("schedule", Lang::Sv) => "Schema",
            ("schedule", Lang::En) => "Schedule",
            _ => "?",
        }
    }

    pub fn run_started(lang: Lang, run: u64, id: &str) -> String {
        match lang {
            Lang::En => format!("Run {run} of {id} has started."),
            Lang::Sv => format!("Körning {run} av {id} har startat."),
        }
    }

    pub fn run_busy(lang: Lang, id: &str) -> String {
        match lang {
            Lang::En => format!("A run of {id} is already going."),
            Lang::Sv => format!("En körning av {id} pågår redan."),
        }
    }

    pub fn run_title(lang: Lang, id: u64) -> String {
        match lang {
            Lang::En => format!("Harvest run {id}"),
            Lang::Sv => format!("Hämtning, körning {id}"),
        }
    }
}

/// Words of the curation pages.
pub mod curation {
    use super::Word;
    use crate::config::Lang;

    pub const WORK_LIST: Word = Word::new("Arbetslista", "Work list");
    pub const AWAITING_REVIEW: Word = Word::new("Väntar på granskning", "Awaiting review");
    pub const MY_DRAFTS: Word = Word::new("Mina utkast", "My drafts");
    pub const OTHERS_DRAFTS: Word = Word::new("Andras utkast", "Other people's drafts");
    pub const AUDIT_LOG: Word = Word::new("Granskningslogg", "Audit log");

    pub const CURATION_MENU: Word = Word::new("Redaktion", "Editing");
    pub const CURATION_MENU_LABEL: Word = Word::new("Redaktionens meny", "Editing menu");
    pub const NEW_VARIABLE: Word = Word::new("Ny variabel", "New variable");
    pub const NEW_DATASET: Word = Word::new("Ny datamängd", "New dataset");
    pub const NEW_CODE_LIST: Word = Word::new("Ny kodlista", "New code list");
    pub const NEW_USE_CASE: Word = Word::new("Nytt användningsfall", "New use case");
    pub const IMPORT: Word = Word::new("Importera", "Import");
    pub const IMPORT_GUIDE: Word = Word::new("Importguide", "Import guide");
    pub const HARVEST: Word = Word::new("Hämtning", "Harvesting");
    pub const USERS: Word = Word::new("Användare", "Accounts");
    pub const LOG: Word = Word::new("Logg", "Audit log");
    pub const QUALITY: Word = Word::new("Kvalitet", "Quality");
    pub const BREADCRUMBS: Word = Word::new("Du är här", "You are here");
    pub const CHOOSE: Word = Word::new("Välj", "Choose");
    pub const CHOOSE_ALL: Word = Word::new("Välj alla i avsnittet", "Choose all in this section");
    pub const BULK_HEADING: Word = Word::new("Med de valda", "With the chosen records");
    pub const BULK_HINT: Word = Word::new(
        "Allt eller inget: görs steget för alla valda poster i ett svep. Går det inte för en av dem ändras ingenting, och sidan säger vilka poster som stoppade det och varför.",
        "All or nothing: the step is taken for every chosen record at once. When it cannot be taken for one of them nothing changes, and the page names the records that stopped it and why.",
    );
    pub const SEND_TO_REVIEW: Word = Word::new("Skicka till granskning", "Send for review");
    pub const PUBLISH: Word = Word::new("Publicera", "Publish");
    pub const CHANGE_NOTE: Word = Word::new("Ändringsnotering (publiceras med posterna)", "Change note (published with the records)");
    pub const NOTHING_CHOSEN: Word = Word::new("Välj minst en post.", "Choose at least one record.");
    pub const UNKNOWN_ACTION: Word = Word::new("Okänd åtgärd.", "Unknown action.");
    pub const UNKNOWN_RECORD: Word = Word::new("Ingen post i katalogen", "No record of the catalogue");
    pub const NOTHING_DONE: Word = Word::new("Inget ändrades.", "Nothing was changed.");
    pub const CHANGES_HEADING: Word = Word::new("Ändringar mot den publicerade versionen", "Changes from the published version");
    pub const NEW_RECORD: Word = Word::new(
        "Posten är ny: den har ingen publicerad version, så allt nedan publiceras för första gången.",
        "The record is new: it has no published version, so everything below is published for the first time.",
    );
    pub const NO_CHANGES: Word = Word::new("Inga ändringar mot den publicerade versionen.", "No changes from the published version.");
    /// A change to an internal note: curators see it, nobody else ever does.
    pub const INTERNAL_CHANGE: Word = Word::new("Intern, publiceras inte", "Internal, never published");
    pub const CHECK_HEADING: Word = Word::new("Kontroll före publicering", "Check before publishing");
    pub const CHECK_OK: Word = Word::new(
        "Alla länkar går till publicerade poster: posten kan publiceras.",
        "Every link leads to a published record: the record can be published.",
    );
    pub const CHECK_FAILS: Word = Word::new(
        "Posten länkar till poster som inte är publicerade. Den kan publiceras först när de är publicerade, eller tillsammans med dem från arbetslistan:",
        "The record links to records that are not published. It can be published once they are, or together with them from the work list:",
    );
    pub const MISSING: Word = Word::new("finns inte", "does not exist");

    pub fn history(lang: Lang, title: &str) -> String {
        match lang {
            Lang::En => format!("History: {title}"),
            Lang::Sv => format!("Historik: {title}"),
        }
    }

    /// One unresolved link: `Datamängd ”Testregistret” (utkast)`.
    pub fn link(lang: Lang, kind: &str, label: &str, state: &str) -> String {
        let kind = if kind.is_empty() { String::new() } else { format!("{kind} ") };
        match lang {
            Lang::En => format!("{kind}“{label}” ({state})"),
            Lang::Sv => format!("{kind}”{label}” ({state})"),
        }
    }

    /// Why a publication was refused for its links.
    pub fn unresolved(lang: Lang, links: &str) -> String {
        match lang {
            Lang::En => format!(
                "The record links to records that are not published, and they are not published in the same step: {links}. Publish them first, or choose them together with the record on the work list."
            ),
            Lang::Sv => format!(
                "Posten länkar till poster som inte är publicerade och som inte publiceras i samma steg: {links}. Publicera dem först, eller välj dem tillsammans med posten i arbetslistan."
            ),
        }
    }

    /// The heading of a refused bulk step.
    pub fn nothing_changed(lang: Lang, failed: usize) -> String {
        match lang {
            Lang::En => format!("Nothing was changed: {failed} of the chosen records could not take this step."),
            Lang::Sv => format!("Inget ändrades: {failed} av de valda posterna kunde inte ta det här steget."),
        }
    }

    /// One refused record of a bulk step.
    pub fn failed_record(lang: Lang, label: &str, reason: &str) -> String {
        match lang {
            Lang::En => format!("“{label}”: {reason}"),
            Lang::Sv => format!("”{label}”: {reason}"),
        }
    }

    /// What a bulk step did.
    pub fn bulk_done(lang: Lang, published: bool, n: usize) -> String {
        match (lang, published) {
            (Lang::En, true) => format!("{n} records published."),
            (Lang::En, false) => format!("{n} records sent for review."),
            (Lang::Sv, true) => format!("{n} poster publicerade."),
            (Lang::Sv, false) => format!("{n} poster skickade till granskning."),
        }
    }
}

/// Words of the import pages.
pub mod import {
    use super::Word;
    use crate::config::Lang;

    pub const CHOOSE_FILE: Word = Word::new("Välj en fil att importera.", "Choose a file to import.");
    pub const UPLOAD_GONE: Word = Word::new(
        "Den förhandsgranskade filen finns inte längre kvar (den sparas en timme, för den som skickade den). Skicka den igen.",
        "The previewed file is no longer kept (it is kept for an hour, for the person who sent it). Send it again.",
    );
    pub const CATALOGUE_MOVED: Word = Word::new(
        "Katalogen har ändrats sedan förhandsgranskningen. Granska den nya förhandsgranskningen och bekräfta igen.",
        "The catalogue changed after the preview. Check the new preview and confirm again.",
    );

    pub fn saved(lang: Lang, n: usize) -> String {
        match lang {
            Lang::En => format!("{n} records were saved as drafts. They are published after review."),
            Lang::Sv => format!("{n} poster sparades som utkast. De publiceras efter granskning."),
        }
    }

    pub fn wrong_file(lang: Lang, filename: &str) -> String {
        match lang {
            Lang::En => format!("{filename}: choose an .xlsx workbook or a .csv file."),
            Lang::Sv => format!("{filename}: välj en arbetsbok (.xlsx) eller en CSV-fil (.csv)."),
        }
    }
}

/// What each publication profile of `/catalog` is, for the page for machines.
pub fn profile_description(profile: crate::publish::profile::Profile, lang: Lang) -> &'static str {
    use crate::publish::profile::Profile;
    let en = lang == Lang::En;
    match (profile, en) {
        (Profile::Default, false) => {
            "DCAT-AP-SE 3.0.1 med HealthDCAT-AP:s egenskaper tillagda (det dataportal.se läser). Standard när profile= saknas."
        }
        (Profile::Default, true) => {
            "DCAT-AP-SE 3.0.1 with the HealthDCAT-AP properties added (what dataportal.se reads). The default without profile=."
        }
        (Profile::DcatApSe, false) => "Enbart DCAT-AP-SE 3.0.1.",
        (Profile::DcatApSe, true) => "DCAT-AP-SE 3.0.1 only.",
        (Profile::HealthDcatAp, false) => {
            "HealthDCAT-AP Release 8 med variablerna som CSVW: det HealthData@EU och hälsodataåtkomstorganet validerar (genomförandeförordning (EU) 2026/2098)."
        }
        (Profile::HealthDcatAp, true) => {
            "HealthDCAT-AP Release 8 with the variables as CSVW: what HealthData@EU and the health data access body validate (Implementing Regulation (EU) 2026/2098)."
        }
        (Profile::HealthDcatApR5, false) => "Den äldre HealthDCAT-AP-projektionen (Release 5), för portaler som ännu läser den.",
        (Profile::HealthDcatApR5, true) => "The older HealthDCAT-AP projection (Release 5), for portals that still read it.",
        (Profile::DcatAp, false) => "DCAT-AP 3.0.1 utan svenska och hälsospecifika tillägg.",
        (Profile::DcatAp, true) => "DCAT-AP 3.0.1 without the Swedish and health additions.",
    }
}

/// Words of the edit forms' pages (the fields' own words are the form engine's,
/// `curation::forms`).
pub mod forms {
    use super::Word;
    use crate::config::Lang;
    use crate::model::record::RecordKind;

    pub const NOT_SAVED: Word = Word::new(
        "Utkastet sparades inte: rätta fälten som är markerade nedan.",
        "The draft was not saved: correct the fields marked below.",
    );
    /// Follows the refusal of a save over a newer revision.
    pub const CHANGED_SINCE: Word = Word::new(
        " Det som ändrats sedan du började visas nedan. Om du sparar igen ersätter din version deras.",
        " What changed since you started is listed below. If you save again, your version replaces theirs.",
    );
    /// A code list saved by someone else after the edit started (its codes are saved with it;
    /// the history shows what changed).
    pub const CODE_LIST_CHANGED: Word = Word::new(
        "Någon annan sparade kodlistan efter att du började redigera; dina ändringar är inte sparade. Se historiken för vad som ändrats; om du sparar igen ersätter din version deras.",
        "Someone else saved this code list after you started editing; your changes are not saved. Open the history to see what changed; if you save again, your version replaces theirs.",
    );

    /// The heading of a form's table of contents.
    pub const CONTENTS: Word = Word::new("Innehåll", "Contents");
    /// Beside the label of a field that must be filled (in text, not colour alone).
    pub const REQUIRED: Word = Word::new("(obligatoriskt)", "(required)");
    pub const REQUIRED_NOTE: Word =
        Word::new("Fält märkta ”(obligatoriskt)” måste fyllas i.", "Fields marked “(required)” must be filled in.");
    /// The list of records a picker offers to add.
    pub const ADD_RECORDS: Word = Word::new("Lägg till", "Add");
    pub const ADD_HINT: Word = Word::new(
        "Välj en eller flera (håll Ctrl eller ⌘ nedtryckt för att välja flera). Posterna visas med benämning och identifierare; även utkast finns med.",
        "Choose one or more (hold Ctrl or ⌘ to choose several). Records are shown by label and identifier; drafts are included.",
    );
    pub const NONE_CHOSEN: Word = Word::new("Inga valda.", "None chosen.");
    /// The search beside a picker: a submit button of the edit form itself, so what was typed
    /// in the other fields comes back with the narrowed list, and nothing is saved.
    pub const SEARCH_RECORDS: Word = Word::new("Sök bland", "Search");
    pub const SEARCH_BUTTON: Word = Word::new("Sök", "Search");
    pub const SEARCH_HINT: Word = Word::new(
        "Söker i benämning och identifierare, utan hänsyn till stora och små bokstäver eller accenter. Formuläret visas igen med det du har skrivit; inget sparas förrän du väljer Spara utkast. Valda poster visas alltid.",
        "Searches label and identifier, ignoring case and accents. The form comes back with what you have typed; nothing is saved until you choose Save draft. Chosen records are always shown.",
    );
    /// Before the text searched for, when a picker's list is narrowed.
    pub const SEARCH_SHOWING: Word = Word::new("Visar de poster som matchar", "Showing the records that match");
    /// After the number of records found.
    pub const SEARCH_ALL: Word =
        Word::new("Töm sökrutan och välj Sök för att visa alla.", "Empty the search box and choose Search to show them all.");
    pub const CHOSEN: Word = Word::new("Valda (bocka ur för att ta bort)", "Chosen (untick to remove)");
    pub const USE_CASES: Word = Word::new("Användningsfall", "Use cases");
    /// The last section of a form: the change note and the save button.
    pub const SAVE: Word = Word::new("Spara", "Save");
    pub const ERRORS_HEADING: Word = Word::new("Rätta följande", "Correct the following");

    /// The title of a form: a new record of `kind`, or editing the record called `name`.
    pub fn title(kind: RecordKind, lang: Lang, is_new: bool, name: &str) -> String {
        let en = lang == Lang::En;
        let (new, edit) = match (kind, en) {
            (RecordKind::Variable, false) => ("Ny variabel", "Redigera: "),
            (RecordKind::Variable, true) => ("New variable", "Edit: "),
            (RecordKind::Dataset, false) => ("Ny datamängd", "Redigera datamängden "),
            (RecordKind::Dataset, true) => ("New dataset", "Edit the dataset "),
            (RecordKind::UseCase, false) => ("Nytt användningsfall", "Redigera användningsfallet "),
            (RecordKind::UseCase, true) => ("New use case", "Edit the use case "),
            (RecordKind::CodeList, false) => ("Ny kodlista", "Redigera kodlistan "),
            (RecordKind::CodeList, true) => ("New code list", "Edit the code list "),
            (_, false) => ("Ny post", "Redigera "),
            (_, true) => ("New record", "Edit "),
        };
        if is_new { new.to_owned() } else { format!("{edit}{name}") }
    }
}

/// Words of published versions: the change list and its rule, the feed, the version and
/// as-of banners, citations.
pub mod versions {
    use super::Word;
    use crate::config::Lang;
    use crate::curation::impact::{Impact, Rule};

    pub const CHANGES: Word = Word::new("Publicerade ändringar", "Published changes");
    pub const CHANGES_LEAD: Word = Word::new(
        "Det som publicerats i katalogen, nyast först. Varje ändring är klassad efter om den kan påverka en studie som använder posten.",
        "What has been published in the catalogue, newest first. Each change is classified by whether it can affect a study that uses the record.",
    );
    pub const RULE: Word = Word::new("Så klassas ändringarna", "How changes are classified");
    pub const RULE_LEAD: Word = Word::new(
        "En version är lika allvarlig som sin allvarligaste ändring. Den första regeln som passar avgör.",
        "A version is as serious as its most serious change. The first rule that fits decides.",
    );
    pub const FEED: Word = Word::new("Atom-flöde med ändringar som bryter", "Atom feed of breaking changes");
    pub const FEED_OF_LIST: Word =
        Word::new("Atom-flöde med ändringar som bryter, för de här variablerna", "Atom feed of breaking changes to these variables");
    pub const SHOW: Word = Word::new("Visa", "Show");
    pub const ALL: Word = Word::new("Alla ändringar", "All changes");
    pub const FILTER: Word = Word::new("Filtrera", "Filter");
    pub const OLDER: Word = Word::new("Äldre ändringar", "Older changes");
    pub const NEWEST: Word = Word::new("Nyaste ändringarna", "Newest changes");
    pub const NONE: Word = Word::new("Inga publicerade ändringar att visa.", "No published changes to show.");
    pub const FIRST: Word = Word::new("Första publicerade versionen.", "First published version.");
    pub const RETIRED: Word = Word::new("Posten fasades ut.", "The record was retired.");
    pub const NO_CHANGE: Word = Word::new("Innehållet är oförändrat.", "The content is unchanged.");
    pub const NOTE: Word = Word::new("Ändringsnotering", "Change note");
    pub const ONLY_VARIABLES: Word = Word::new("Visar ändringar av variablerna", "Showing changes to the variables");
    pub const VERSIONS: Word = Word::new("Publicerade versioner", "Published versions");
    pub const CHANGES_FROM_PREVIOUS: Word = Word::new("Ändringar från versionen före", "Changes from the version before");
    pub const SHOW_CURRENT: Word = Word::new("Visa den gällande versionen", "Show the current version");
    pub const CITE: Word = Word::new("Citera", "Cite");
    pub const CITE_LEAD: Word = Word::new(
        "Ange versionen när du hänvisar till variabeln: adressen nedan visar alltid just den versionen.",
        "Name the version when you refer to the variable: the address below always shows that very version.",
    );
    pub const CITE_DOWNLOAD: Word = Word::new("Hämta referensen som", "Download the reference as");
    pub const VERSION_IRI: Word = Word::new("Versionens adress", "Address of this version");
    pub const REVIEW_RULE: Word = Word::new("Så klassas ändringarna", "How changes are classified");

    /// The class of a change in words.
    pub fn impact(i: Impact, lang: Lang) -> &'static str {
        match i {
            Impact::Breaking => Word::new("Bryter", "Breaking"),
            Impact::Compatible => Word::new("Kompatibel", "Compatible"),
            Impact::Cosmetic => Word::new("Kosmetisk", "Cosmetic"),
        }
        .get(lang)
    }

    /// What a class means.
    pub fn impact_meaning(i: Impact, lang: Lang) -> &'static str {
        match i {
            Impact::Breaking => Word::new(
                "Data eller analyser gjorda med den tidigare versionen kan sluta stämma.",
                "Data or analyses made with the earlier version may no longer fit.",
            ),
            Impact::Compatible => Word::new(
                "Något har lagts till, eller en uppgift som data inte beror på har ändrats: tidigare data gäller.",
                "Something was added, or a fact the data does not depend on changed: earlier data stays valid.",
            ),
            Impact::Cosmetic => Word::new(
                "Formuleringar, översättningar och versionsuppgifter: data betyder detsamma.",
                "Wording, translations and version bookkeeping: the data means the same.",
            ),
        }
        .get(lang)
    }

    /// One line of the rule.
    pub fn rule(r: Rule, lang: Lang) -> &'static str {
        let w = match r {
            Rule::Retired => Word::new("posten fasas ut", "the record is retired"),
            Rule::TechnicalName => {
                Word::new("variabelns tekniska namn ändras eller tas bort", "the variable's technical name changes or is removed")
            }
            Rule::Datatype => Word::new(
                "variabelns datatyp eller kodlista ändras eller tas bort",
                "the variable's data type or code list changes or is removed",
            ),
            Rule::Unit => Word::new("variabelns enhet ändras eller tas bort", "the variable's unit changes or is removed"),
            Rule::RangeNarrowed => Word::new(
                "variabelns värdeintervall snävas in (högre minimum, lägre maximum, en ny gräns)",
                "the variable's range narrows (a higher minimum, a lower maximum, a new bound)",
            ),
            Rule::MissingValueRemoved => Word::new("en kod för saknat värde tas bort", "a missing-value code is removed"),
            Rule::CodingSystem => Word::new(
                "ett kodverk tas bort från variabeln eller byts på kodlistan",
                "a coding system is removed from the variable or replaced on the code list",
            ),
            Rule::LeftDataset => Word::new("variabeln finns inte längre i en datamängd", "the variable is no longer in a dataset"),
            Rule::Recoded => Word::new("en kod får ett annat värde", "a code gets another value"),
            Rule::CodeRemoved => Word::new("en kod tas bort ur kodlistan", "a code is taken out of its code list"),
            Rule::ValidityShortened => Word::new(
                "en kods giltighet kortas (slutar tidigare eller börjar senare)",
                "a code's validity is cut short (ends earlier or starts later)",
            ),
            Rule::Added => Word::new(
                "något läggs till (en kod, ett kodverk, en datamängd, ett vidare intervall)",
                "something is added (a code, a coding system, a dataset, a wider range)",
            ),
            Rule::OtherFact => Word::new(
                "en annan uppgift ändras (ägare, prioritet, användningsfall, tidstäckning, länkar)",
                "another fact changes (owner, priority, use cases, coverage, links)",
            ),
            Rule::Wording => Word::new("text ändras eller tas bort på ett språk", "text changes or is removed in a language"),
            Rule::Translation => Word::new("text läggs till på ett språk", "text is added in a language"),
            Rule::Bookkeeping => Word::new(
                "versionsnummer, ändringsnotering, ändringstid eller redaktionell anmärkning",
                "version number, change note, modification time or editorial note",
            ),
        };
        w.get(lang)
    }

    /// "Version 2" with its dates, for the banner of a version shown.
    pub fn version_banner(lang: Lang, version: u64, published: &str, replaced: Option<&str>, current: u64) -> String {
        let en = lang == Lang::En;
        let mut s = if en {
            format!("You are looking at version {version}, published {published}")
        } else {
            format!("Du ser version {version}, publicerad {published}")
        };
        match (replaced, en) {
            (Some(r), true) => s.push_str(&format!(", in effect until {r}. The current version is {current}.")),
            (Some(r), false) => s.push_str(&format!(", gällande till {r}. Den gällande versionen är {current}.")),
            (None, true) => s.push_str(". It is the current version."),
            (None, false) => s.push_str(". Den är den gällande versionen."),
        }
        s
    }

    /// The banner's first line on a page shown as of a day.
    pub fn as_of_heading(lang: Lang, day: &str) -> String {
        match lang {
            Lang::En => format!("As published on {day}"),
            Lang::Sv => format!("Som publicerad {day}"),
        }
    }

    /// A retired version.
    pub fn retired_on(lang: Lang, day: &str) -> String {
        match lang {
            Lang::En => format!("The record was retired on {day}."),
            Lang::Sv => format!("Posten fasades ut {day}."),
        }
    }

    /// `?per=` that is not a date.
    pub fn bad_date(lang: Lang, given: &str) -> String {
        match lang {
            Lang::En => format!("The date «{given}» cannot be read: write it as YYYY-MM-DD, for example ?per=2024-01-01."),
            Lang::Sv => format!("Datumet «{given}» går inte att läsa: skriv det som ÅÅÅÅ-MM-DD, till exempel ?per=2024-01-01."),
        }
    }

    /// `?per=` before the first publication.
    pub fn before_first(lang: Lang, day: &str, first: &str) -> String {
        match lang {
            Lang::En => format!("The record was not published on {day}: it was first published on {first}."),
            Lang::Sv => format!("Posten var inte publicerad {day}: den publicerades första gången {first}."),
        }
    }

    /// A version number that is not one of the record's published versions.
    pub fn no_version(lang: Lang, given: &str) -> String {
        match lang {
            Lang::En => format!("There is no published version «{given}» of this record."),
            Lang::Sv => format!("Posten har ingen publicerad version «{given}»."),
        }
    }

    /// An unknown citation format.
    pub fn bad_format(lang: Lang, given: &str) -> String {
        match lang {
            Lang::En => format!("Unknown format «{given}»: use format=bibtex, csl-json, ris or text."),
            Lang::Sv => format!("Okänt format «{given}»: använd format=bibtex, csl-json, ris eller text."),
        }
    }

    /// A `v=` of the change list that is not a variable id.
    pub fn bad_variable(lang: Lang, given: &str) -> String {
        match lang {
            Lang::En => format!("«{given}» is not a variable id (lower-case letters a–z, digits and hyphens)."),
            Lang::Sv => format!("«{given}» är inget variabel-id (små bokstäver a–z, siffror och bindestreck)."),
        }
    }

    /// A `typ=` of the change list that is not a class.
    pub fn bad_class(lang: Lang, given: &str) -> String {
        match lang {
            Lang::En => format!("Unknown class «{given}»: use typ=bryter, kompatibel or kosmetisk."),
            Lang::Sv => format!("Okänd klass «{given}»: använd typ=bryter, kompatibel eller kosmetisk."),
        }
    }

    /// The title of one change in the list and the feed: "Variabel: Vårdtid – version 3".
    pub fn change_title(lang: Lang, kind: &str, label: &str, version: u64, retired: bool) -> String {
        match (lang, retired) {
            (Lang::En, true) => format!("{kind}: {label} – retired (version {version})"),
            (Lang::Sv, true) => format!("{kind}: {label} – utfasad (version {version})"),
            (_, false) => format!("{kind}: {label} – version {version}"),
        }
    }

    /// A code's label in a change: "kod 9 i Kön".
    pub fn code_in(lang: Lang, code: &str, list: &str) -> String {
        match lang {
            Lang::En => format!("code {code} in {list}"),
            Lang::Sv => format!("kod {code} i {list}"),
        }
    }

    /// The feed's title.
    pub fn feed_title(lang: Lang, catalogue: &str) -> String {
        match lang {
            Lang::En => format!("{catalogue}: breaking changes"),
            Lang::Sv => format!("{catalogue}: ändringar som bryter"),
        }
    }
}

/// Declares a struct of texts with its Swedish and English instances and the getter.
macro_rules! page_texts {
    ($(#[$doc:meta])* $name:ident, $getter:ident, { $($field:ident: $sv:literal, $en:literal;)* }) => {
        $(#[$doc])*
        pub struct $name { $(pub $field: &'static str,)* }
        impl $name {
            const SV: Self = Self { $($field: $sv,)* };
            const EN: Self = Self { $($field: $en,)* };
        }
        /// The texts in `lang`.
        pub fn $getter(lang: Lang) -> &'static $name {
            static SV: $name = $name::SV;
            static EN: $name = $name::EN;
            if lang == Lang::En { &EN } else { &SV }
        }
    };
}

/// Words of the quality and utility label, the yearly confirmation, maturity and deliveries.
pub mod label {
    use super::Lang;

    page_texts!(
        /// The label's pages.
        LabelTexts, texts, {
        label: "Kvalitets- och nyttomärkning", "Data quality and utility label";
        spec_title: "Kvalitets- och nyttomärkningen: mått och nivåer", "The quality and utility label: metrics and levels";
        lead: "Märkningen som EHDS-förordningen (EU) 2025/327 art. 78 ger varje datamängd, med QUANTUM-projektets dimensioner, mått och nivåer. Varje mått är beräknat ur det katalogen vet (med underlaget), uppgivet av innehavaren (med länk, vem och när) eller saknas.", "The label Article 78 of the EHDS Regulation (EU) 2025/327 gives every dataset, with the QUANTUM project's dimensions, metrics and levels. Each metric is computed from what the catalogue holds (with the evidence), declared by the holder (with a link, who and when), or missing.";
        class: "Klass", "Class";
        score: "Poäng", "Score";
        of_100: "av 100", "of 100";
        computed: "beräknade", "computed";
        declared: "uppgivna", "declared";
        missing: "saknas", "missing";
        metrics_word: "mått", "metrics";
        confirmation: "Årlig bekräftelse", "Yearly confirmation";
        confirmed: "Senast bekräftad", "Last confirmed";
        due: "Nästa bekräftelse senast", "Next confirmation due";
        never_confirmed: "Aldrig bekräftad av innehavaren.", "Never confirmed by the holder.";
        overdue: "Försenad: ingen bekräftelse det senaste året.", "Overdue: no confirmation in the last year.";
        by: "av", "by";
        confirm_button: "Bekräfta att beskrivningen stämmer", "Confirm that the description is accurate";
        confirm_hint: "Innehavaren ska minst en gång om året kontrollera att datamängdens beskrivning stämmer (EHDS art. 60, skäl 84). Stämmer något inte, redigera posten i stället.", "The holder checks at least once a year that the dataset's description is accurate (EHDS Art. 60, recital 84). If something is wrong, edit the record instead.";
        note: "Kommentar (frivillig)", "Note (optional)";
        chart_title: "Dimensionernas resultat", "The dimensions' results";
        chart_desc: "Liggande staplar, en per dimension, från 0 till 100 %. Högst: {best} med {best_score}. Lägst: {worst} med {worst_score}.", "Horizontal bars, one per dimension, from 0 to 100 %. Highest: {best} at {best_score}. Lowest: {worst} at {worst_score}.";
        chart_caption: "Varje dimensions andel av full nivå (0–100 %); vikten står inom parentes. Tabellen nedanför har samma siffror.", "Each dimension's share of the top level (0–100 %); its weight in brackets. The table below holds the same figures.";
        dimension: "Dimension", "Dimension";
        weight: "Vikt", "Weight";
        result: "Resultat", "Result";
        metric: "Mått", "Metric";
        status: "Status", "Status";
        level: "Nivå", "Level";
        evidence: "Underlag", "Evidence";
        statement: "Innehavarens uppgift", "Holder's statement";
        state_it: "Ange en uppgift", "State it";
        evidence_link: "Länk till underlag (frivillig)", "Link to evidence (optional)";
        save: "Spara", "Save";
        withdraw: "Ta bort uppgiften", "Withdraw the statement";
        counts_only_if: "Räknas bara om katalogen inte kan beräkna måttet.", "Counts only when the catalogue cannot compute the metric.";
        qm_heading: "Innehavarens mognad", "The holder's maturity";
        qm_text: "Art. 78.3 c läses ur innehavarens självskattning i QUANTUM:s mognadsmodell, dimensionen Datahantering – styrning. Ingår inte i poängen.", "Art. 78(3)(c) is read from the holder's self-assessment in QUANTUM's maturity model, the dimension Data management – governance. Not part of the score.";
        qm_missing: "Innehavaren har inte skattat sin mognad.", "The holder has not assessed its maturity.";
        assessed: "Skattad", "Assessed";
        not_scored: "Ingår inte i poängen.", "Not part of the score.";
        back_to_dataset: "Till datamängden", "To the dataset";
        back_to_organisation: "Till organisationen", "To the organisation";
        label_line: "Kvalitets- och nyttomärkning (EHDS art. 78)", "Data quality and utility label (EHDS Art. 78)";
        as_json: "Som JSON", "As JSON";
        how: "Hur märkningen räknas", "How the label is made up";
        saved: "Uppgiften är sparad.", "The statement is saved.";
        withdrawn: "Uppgiften är borttagen.", "The statement is withdrawn.";
        attested: "Bekräftelsen är sparad.", "The confirmation is saved.";
        rule: "Regel", "Rule";
        source: "Källa", "Source";
        quantum: "QUANTUM", "QUANTUM";
        ours: "katalogens tolkning", "this catalogue's reading";
        levels: "Nivåer", "Levels";
        computed_from: "Beräknas ur katalogen", "Computed from the catalogue";
        declared_only: "Uppges av innehavaren", "Declared by the holder";
        spec_lead: "Märkningens delar: de sex elementen i EHDS art. 78.3, QUANTUM-projektets tolv dimensioner med vikter och deras mått med nivåer. Där QUANTUM:s publicerade specifikation inte fanns till hands är uppdelningen katalogens egen; det står vid varje del. Poängen är vikternas summa av måttens andel av högsta nivå; ett mått som saknas ger 0 (skäl 84–85).", "The parts of the label: the six elements of EHDS Art. 78(3), the QUANTUM project's twelve dimensions with their weights, and their metrics with levels. Where QUANTUM's published specification was not at hand the breakdown is this catalogue's own, as each part says. The score is the weighted sum of each metric's share of its top level; a missing metric counts 0 (recitals 84–85).";
        classes: "Klasser: A från 80 poäng, B från 60, C från 40, D från 20, annars E (katalogens indelning tills genomförandeakten enligt art. 78.5 finns).", "Classes: A from 80 points, B from 60, C from 40, D from 20, else E (this catalogue's banding until the implementing act of Art. 78(5) exists).";
        maturity_title: "Mognad som datainnehavare", "Data holder maturity";
        maturity_lead: "Organisationens självskattning i QUANTUM:s mognadsmodell: tio dimensioner, fem nivåer var. Mognaden är inget sammanvägt tal; varje dimension står för sig.", "The organisation's self-assessment in QUANTUM's maturity model: ten dimensions, five levels each. Maturity is not one aggregate figure; each dimension stands on its own.";
        not_assessed: "inte skattad", "not assessed";
        edit_maturity: "Skatta mognaden", "Assess maturity";
        maturity_saved: "Självskattningen är sparad.", "The self-assessment is saved.";
        overdue_heading: "Datamängder utan årlig bekräftelse", "Datasets without a yearly confirmation";
        overdue_lead: "Datamängder vars innehavare inte har bekräftat beskrivningen det senaste året (EHDS art. 60, skäl 84), per utgivare. Även som Atom-flöde för tillståndsmyndigheten:", "Datasets whose holder has not confirmed the description in the last year (EHDS Art. 60, recital 84), by publisher. Also as an Atom feed for the health data access body:";
        none_overdue: "Alla datamängder är bekräftade.", "Every dataset is confirmed.";
        last: "senast", "last";
        deliveries: "Leveranser", "Deliveries";
        deliveries_lead: "Regionernas leveransrapporter till datainsamlingen: för varje region och period den senaste rapportens antal, aldrig några värden. Rapporterna skickas med vardkatalog check-extract --submit eller sparas från leveranskontrollen.", "The regions' delivery reports to the data collection: for each region and period the counts of the latest report, never any values. Reports are sent with vardkatalog check-extract --submit or saved from the delivery check.";
        region: "Region", "Region";
        period: "Period", "Period";
        never_delivered: "aldrig levererat", "never delivered";
        no_delivery: "ingen leverans", "no delivery";
        required_present: "obligatoriska kolumner", "required columns";
        valid: "giltiga", "valid";
        filled: "ifyllda", "filled";
        header_only: "bara rubrikraden", "header row only";
        error_types: "Feltyper", "Error types";
        csv: "Ladda ner som CSV", "Download as CSV";
        matrix_caption: "Andel giltiga värden per region och period; tom ruta: ingen leverans. Tabellen nedanför har samma siffror och fler.", "Share of valid values per region and period; an empty square: no delivery. The table below holds the same figures and more.";
        save_report: "Spara resultatet som leveransrapport", "Save the result as a delivery report";
        save_report_hint: "Sparar bara antalen per kolumn (rader, ifyllda värden, ogiltiga per feltyp) för regionen och perioden, aldrig något värde. Utan att skicka filen: kör check-extract med --submit.", "Saves only the counts per column (rows, filled values, invalid ones by problem) for the region and period, never a value. Without sending the file: run check-extract with --submit.";
        report_saved: "Leveransrapporten är sparad.", "The delivery report is saved.";
        organisations: "Organisationer", "Organisations";
        organisations_hint: "Id under /agent/, med blanksteg eller komma emellan (t.ex. region-skane).", "Ids under /agent/, separated by spaces or commas (e.g. region-skane).";
        rows: "Rader", "Rows";
        errors: "Fel", "Errors";
        submitted: "Inlämnad", "Submitted";
        column: "Kolumn", "Column";
        requirement: "Krav", "Requirement";
        present: "Finns", "Present";
        invalid: "Ogiltiga", "Invalid";
        nobody_delivered: "Ingen region har levererat ännu.", "No region has delivered yet.";
        table: "tabell", "table";
        deliveries_link: "Leveranser per region och period", "Deliveries by region and period";
    });
}

/// Words of comparing variables by meaning (`/jamfor`), "the same in other registers" and the
/// availability matrix (`/tillganglighet`).
pub mod compare {
    use super::Word;
    use crate::config::Lang;

    pub const TITLE: Word = Word::new("Jämför variabler", "Compare variables");
    pub const LEAD: Word = Word::new(
        "Variablerna sida vid sida. En cell som skiljer sig från radens första angivna värde är markerad; en tom cell är ”uppgift saknas”, inte en skillnad. Stora och små bokstäver och mellanrum räknas inte som skillnader.",
        "The variables side by side. A cell that differs from the row's first stated value is marked; an empty cell is “not stated”, not a difference. Upper and lower case and spacing do not count as differences.",
    );
    pub const COMPARE_SELECTED: Word = Word::new("Jämför markerade", "Compare selected");
    pub const SELECT_HINT: Word =
        Word::new("Markera två eller fler variabler och jämför dem.", "Select two or more variables and compare them.");
    pub const SELECT: Word = Word::new("Markera för jämförelse", "Select to compare");
    pub const TOO_FEW: Word =
        Word::new("Markera minst två publicerade variabler att jämföra.", "Select at least two published variables to compare.");
    pub const DIFFERS: Word = Word::new("skiljer sig", "differs");
    pub const NOT_STATED: Word = Word::new("uppgift saknas", "not stated");
    pub const WHY: Word = Word::new("Varför de jämförs", "Why they are compared");
    pub const NO_SIGNAL: Word = Word::new(
        "inget gemensamt begrepp, kodverk, ingen gemensam kodlista eller samma tekniska namn: jämförs för att du valde dem",
        "no shared concept, coding system, code list or technical name: compared because you chose them",
    );
    pub const SHARED: Word = Word::new("Gemensamma koder", "Shared codes");
    pub const ONLY_HERE: Word = Word::new("Bara här", "Only here");
    pub const ONLY_FIRST: Word = Word::new("Bara i första", "Only in the first");
    pub const SAME_ELSEWHERE: Word = Word::new("Samma i andra register", "The same in other registers");
    pub const SAME_ELSEWHERE_LEAD: Word = Word::new(
        "Variabler som beskriver samma sak, funna genom begrepp, kodlista, kodverk eller (svagast) samma tekniska namn.",
        "Variables that describe the same thing, found through the concept, the code list, the coding system or (weakest) the same technical name.",
    );
    pub const VARIABLES_OF_CONCEPT: Word = Word::new("Variabler i olika register", "Variables in different registers");
    pub const VARIABLE: Word = Word::new("Variabel", "Variable");
    pub const REGISTERS: Word = Word::new("Register", "Registers");
    pub const REASON: Word = Word::new("Varför", "Why");
    pub const COMPARE_ALL: Word = Word::new("Jämför sida vid sida", "Compare side by side");
    pub const AVAILABILITY: Word = Word::new("Tillgänglighet per register och år", "Availability by register and year");
    pub const AVAILABILITY_CSV: Word = Word::new("Tillgängligheten som CSV", "The availability as CSV");
    pub const YEAR: Word = Word::new("År", "Year");
    pub const AVAILABLE: Word = Word::new("finns", "available");
    pub const NOT_AVAILABLE: Word = Word::new("–", "–");
    pub const NO_YEARS: Word = Word::new("år anges inte", "years not stated");
    pub const FROM_REGISTER: Word = Word::new(
        "Åren kommer delvis från registrets egen tidstäckning: där variabeln inte anger några år står registrets år för den, och en variabel finns i ett register bara de år registret har data.",
        "Some years come from the register's own coverage: where the variable states no years the register's years stand for it, and a variable is in a register only in the years the register holds data.",
    );
    pub const NONE_FOUND: Word =
        Word::new("Inga variabler i katalogen hör till det här begreppet.", "No variables in the catalogue belong to this concept.");

    /// "Tillgänglighet: Huvuddiagnos"
    pub fn availability_title(lang: Lang, name: &str) -> String {
        format!("{}: {name}", AVAILABILITY.get(lang))
    }

    /// The matrix's caption.
    pub fn caption(lang: Lang, name: &str) -> String {
        if lang == Lang::En {
            format!("Registers holding {name}, by year (“available” where a variable covers the year)")
        } else {
            format!("Register med {name}, per år (”finns” där en variabel täcker året)")
        }
    }

    /// One register's line of the text summary: "Patientregistret: 1964–2026 (HDIA, DIA1)".
    pub fn summary_line(lang: Lang, register: &str, spans: &str, variables: &str) -> String {
        if spans.is_empty() {
            format!("{register}: {} ({variables})", NO_YEARS.get(lang))
        } else {
            format!("{register}: {spans} ({variables})")
        }
    }

    /// The summary's first sentence: "3 register, 1964–2026."
    pub fn summary(lang: Lang, registers: usize, first: Option<i32>, last: Option<i32>) -> String {
        let span = match (first, last) {
            (Some(a), Some(b)) => format!(", {a}–{b}"),
            _ => String::new(),
        };
        if lang == Lang::En { format!("{registers} registers{span}.") } else { format!("{registers} register{span}.") }
    }

    /// A signal in words.
    pub fn concept(lang: Lang, name: &str) -> String {
        if lang == Lang::En { format!("the same concept: {name}") } else { format!("samma begrepp: {name}") }
    }

    pub fn code_list(lang: Lang, name: &str) -> String {
        if lang == Lang::En { format!("the same code list: {name}") } else { format!("samma kodlista: {name}") }
    }

    pub fn shared_codes(lang: Lang, codes: &[String]) -> String {
        let shown = codes.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
        let more = if codes.len() > 10 { " …" } else { "" };
        if lang == Lang::En {
            format!("code lists sharing {} codes ({shown}{more})", codes.len())
        } else {
            format!("kodlistor med {} gemensamma koder ({shown}{more})", codes.len())
        }
    }

    pub fn coding_system(lang: Lang, name: &str) -> String {
        if lang == Lang::En { format!("the same coding system: {name}") } else { format!("samma kodverk: {name}") }
    }

    pub fn coding_system_version(lang: Lang, version: &str, system: &str) -> String {
        if lang == Lang::En {
            format!("related coding systems: {version} is a version of {system}")
        } else {
            format!("besläktade kodverk: {version} är en version av {system}")
        }
    }

    pub fn name(lang: Lang, name: &str) -> String {
        if lang == Lang::En {
            format!("the same technical name without case and marks: {name} (weakest)")
        } else {
            format!("samma tekniska namn utan hänsyn till versaler och accenter: {name} (svagast)")
        }
    }

    /// "Huvuddiagnos och Underliggande dödsorsak"
    pub fn pair(lang: Lang, a: &str, b: &str) -> String {
        if lang == Lang::En { format!("{a} and {b}") } else { format!("{a} och {b}") }
    }
}
