//! The index schema and its analysers.
//!
//! Text is indexed twice, with a Swedish and an English stemmer, and folded to ASCII after
//! stemming so that `vardplats` finds `vårdplats`. Technical names and codes are also indexed
//! whole (`notation_exact`) for exact hits, as edge n-grams (`prefix`) for matching while
//! typing, and unstemmed (`fuzzy`) for typo tolerance. Words are also indexed reversed as
//! edge n-grams (`suffix`), so that the head of a Swedish compound finds the compound
//! (`diagnos` finds `huvuddiagnos`, `plats` finds `vårdplats`).

use tantivy::Index;
use tantivy::schema::{FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, NgramTokenizer, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Bumped whenever the schema or the analysers change; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

pub const SV: &str = "vk_sv";
pub const EN: &str = "vk_en";
pub const PLAIN: &str = "vk_plain";
pub const EXACT: &str = "vk_exact";
pub const PREFIX: &str = "vk_prefix";
/// Words in lower case, not folded: the spelling suggestions are made of them.
pub const LOWER: &str = "vk_lower";

/// The facets, in the order the search page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetName {
    Kind,
    Dataset,
    Publisher,
    HealthCategory,
    Theme,
    CodingSystem,
    Datatype,
    Status,
    UseCase,
    Decade,
}

impl FacetName {
    pub const ALL: [Self; 10] = [
        Self::Kind,
        Self::Dataset,
        Self::Publisher,
        Self::HealthCategory,
        Self::Theme,
        Self::CodingSystem,
        Self::Datatype,
        Self::Status,
        Self::UseCase,
        Self::Decade,
    ];

    /// The query-string parameter and index field suffix.
    pub fn param(self) -> &'static str {
        match self {
            Self::Kind => "typ",
            Self::Dataset => "datamangd",
            Self::Publisher => "utgivare",
            Self::HealthCategory => "halsokategori",
            Self::Theme => "tema",
            Self::CodingSystem => "kodverk",
            Self::Datatype => "datatyp",
            Self::Status => "status",
            Self::UseCase => "anvandningsfall",
            Self::Decade => "decennium",
        }
    }

    pub fn from_param(p: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.param() == p)
    }

    /// Position in [`FacetName::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    fn field_name(self) -> String {
        format!("f_{}", self.param())
    }
}

/// Handles to every field.
#[derive(Clone, Debug)]
pub struct Fields {
    pub iri: Field,
    pub kind: Field,
    pub label_sv: Field,
    pub label_en: Field,
    pub notation: Field,
    pub notation_exact: Field,
    pub notation_text: Field,
    pub definition_sv: Field,
    pub definition_en: Field,
    pub context: Field,
    /// A code's synonyms and search words (`skos:altLabel`, `skos:hiddenLabel`), in Swedish
    /// (and any other language) and in English.
    pub synonyms_sv: Field,
    pub synonyms_en: Field,
    /// The codes a code list holds, and those of a variable's code list, whole (`S72.0`, and
    /// `S720` as registers write it).
    pub codes: Field,
    /// A coding system's `vk:codePattern` (stored only).
    pub pattern: Field,
    /// `lead` for every document but a dataset, a coding system and a numbered repeat of a
    /// variable (`DIA12` "Diagnos 12" after `DIA1`): among records found alike (coded with the
    /// system of a code typed) the variables come first, then the registers that hold them, the
    /// coding system and the repeats.
    pub rank: Field,
    /// The words of labels and synonyms, lower case but not folded (`läkemedelsregistret`).
    pub spelling: Field,
    pub prefix: Field,
    pub fuzzy: Field,
    pub suffix: Field,
    pub year_from: Field,
    pub year_to: Field,
    pub sort_label: Field,
    pub display: Field,
    facets: Vec<(FacetName, Field)>,
}

impl Fields {
    pub fn facet(&self, name: FacetName) -> Field {
        self.facets.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).expect("every facet has a field")
    }

    pub fn facet_field_name(name: FacetName) -> String {
        name.field_name()
    }
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { options.set_stored() } else { options }
}

/// The schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let iri = b.add_text_field("iri", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let label_sv = b.add_text_field("label_sv", text(SV, true));
    let label_en = b.add_text_field("label_en", text(EN, true));
    let notation = b.add_text_field("notation", STORED);
    let notation_exact = b.add_text_field("notation_exact", text(EXACT, false));
    let notation_text = b.add_text_field("notation_text", text(PLAIN, false));
    let definition_sv = b.add_text_field("definition_sv", text(SV, true));
    let definition_en = b.add_text_field("definition_en", text(EN, true));
    let context = b.add_text_field("context", text(SV, false));
    let synonyms_sv = b.add_text_field("synonyms_sv", text(SV, false));
    let synonyms_en = b.add_text_field("synonyms_en", text(EN, false));
    let codes = b.add_text_field("codes", text(EXACT, false));
    let pattern = b.add_text_field("pattern", STORED);
    let rank = b.add_text_field("rank", STRING);
    let spelling = b.add_text_field(
        "spelling",
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(LOWER).set_index_option(IndexRecordOption::Basic)),
    );
    let prefix = b.add_text_field(
        "prefix",
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(PREFIX).set_index_option(IndexRecordOption::Basic)),
    );
    let fuzzy = b.add_text_field("fuzzy", text(PLAIN, false));
    let suffix = b.add_text_field(
        "suffix",
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(PREFIX).set_index_option(IndexRecordOption::Basic)),
    );
    let numeric = NumericOptions::default().set_indexed().set_fast().set_stored();
    let year_from = b.add_i64_field("year_from", numeric.clone());
    let year_to = b.add_i64_field("year_to", numeric);
    let sort_label = b.add_u64_field("sort_label", NumericOptions::default().set_fast());
    let display = b.add_text_field("display", STORED);
    let facets = FacetName::ALL.into_iter().map(|f| (f, b.add_text_field(&f.field_name(), STRING | FAST | STORED))).collect();
    let fields = Fields {
        iri,
        kind,
        label_sv,
        label_en,
        notation,
        notation_exact,
        notation_text,
        definition_sv,
        definition_en,
        context,
        synonyms_sv,
        synonyms_en,
        codes,
        pattern,
        rank,
        spelling,
        prefix,
        fuzzy,
        suffix,
        year_from,
        year_to,
        sort_label,
        display,
        facets,
    };
    (b.build(), fields)
}

/// Registers the analysers the schema names.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(SV, stemmed(Language::Swedish));
    tokenizers.register(EN, stemmed(Language::English));
    tokenizers.register(
        PLAIN,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    tokenizers
        .register(LOWER, TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser).build());
    tokenizers.register(EXACT, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build());
    tokenizers.register(
        PREFIX,
        TextAnalyzer::builder(NgramTokenizer::prefix_only(2, 24).expect("valid n-gram bounds"))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// A word folded and reversed, for the `suffix` field.
pub fn reversed(word: &str) -> String {
    fold(word).chars().rev().collect()
}

/// Folds text the way the analysers do (lower case, ASCII), for exact terms and prefixes.
pub fn fold(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let mut out = String::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push_str(&t.text);
    }
    out
}

/// An order key from the first eight letters of a label in Swedish alphabetical order (a–z,
/// then å, ä, ö; other accents folded): sorting A–Ö without a string fast field. Ties beyond
/// eight letters keep index order.
pub fn sort_key(label: &str) -> u64 {
    let mut key = [0u8; 8];
    for (i, c) in label.trim().chars().flat_map(char::to_lowercase).take(8).enumerate() {
        let b = match c {
            'å' => b'z' + 1,
            'ä' | 'æ' => b'z' + 2,
            'ö' | 'ø' => b'z' + 3,
            c if c.is_ascii() => c as u8,
            c => fold(&c.to_string()).bytes().next().unwrap_or(b'~'),
        };
        key[i] = b;
    }
    u64::from_be_bytes(key)
}
