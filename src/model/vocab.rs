//! Every vocabulary IRI the project uses, in one place.
//!
//! No other module writes an IRI string literal of a vocabulary term: they name a constant here.
//! Base IRIs of controlled vocabularies that move between releases (HealthDCAT-AP) are the
//! *storage* bases; the published base is a setting (see `config`).

use oxigraph::model::NamedNodeRef;

macro_rules! terms {
    ($(#[$doc:meta])* $modname:ident, $ns:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $modname {
            use super::NamedNodeRef;
            /// The namespace IRI.
            pub const NS: &str = $ns;
            $(pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));)*
        }
    };
}

terms!(
    /// RDF.
    rdf, "http://www.w3.org/1999/02/22-rdf-syntax-ns#", { TYPE = "type", LANG_STRING = "langString" }
);
terms!(
    /// RDF Schema.
    rdfs, "http://www.w3.org/2000/01/rdf-schema#", { LABEL = "label", COMMENT = "comment", SEE_ALSO = "seeAlso" }
);
terms!(
    /// XML Schema datatypes.
    xsd, "http://www.w3.org/2001/XMLSchema#", {
        STRING = "string", INTEGER = "integer", DECIMAL = "decimal", BOOLEAN = "boolean",
        DATE = "date", DATE_TIME = "dateTime", G_YEAR = "gYear", G_YEAR_MONTH = "gYearMonth",
        NON_NEGATIVE_INTEGER = "nonNegativeInteger", DOUBLE = "double", TIME = "time",
        DURATION = "duration", ANY_URI = "anyURI",
    }
);
terms!(
    /// W3C Data Catalog Vocabulary (DCAT 3).
    dcat, "http://www.w3.org/ns/dcat#", {
        CATALOG = "Catalog", DATASET = "Dataset", DATASET_SERIES = "DatasetSeries",
        DISTRIBUTION = "Distribution", DATA_SERVICE = "DataService", CATALOG_RECORD = "CatalogRecord",
        DATASET_PROP = "dataset", SERVICE = "service", DISTRIBUTION_PROP = "distribution",
        CONTACT_POINT = "contactPoint", KEYWORD = "keyword", THEME = "theme", THEME_TAXONOMY = "themeTaxonomy",
        LANDING_PAGE = "landingPage", ACCESS_URL = "accessURL", DOWNLOAD_URL = "downloadURL",
        MEDIA_TYPE = "mediaType", BYTE_SIZE = "byteSize", ACCESS_SERVICE = "accessService",
        ENDPOINT_URL = "endpointURL", ENDPOINT_DESCRIPTION = "endpointDescription",
        SERVES_DATASET = "servesDataset", START_DATE = "startDate", END_DATE = "endDate",
        IN_SERIES = "inSeries", VERSION = "version", HAD_ROLE = "hadRole", RECORD = "record",
        CATALOG_PROP = "catalog", HAS_VERSION = "hasVersion", IS_VERSION_OF = "isVersionOf",
        HAS_CURRENT_VERSION = "hasCurrentVersion", PREVIOUS_VERSION = "previousVersion",
    }
);
terms!(
    /// DCMI Metadata Terms.
    dct, "http://purl.org/dc/terms/", {
        TITLE = "title", DESCRIPTION = "description", PUBLISHER = "publisher", IDENTIFIER = "identifier",
        ISSUED = "issued", MODIFIED = "modified", LANGUAGE = "language", LICENSE = "license",
        SPATIAL = "spatial", TEMPORAL = "temporal", ACCESS_RIGHTS = "accessRights",
        ACCRUAL_PERIODICITY = "accrualPeriodicity", CONFORMS_TO = "conformsTo", TYPE = "type",
        FORMAT = "format", RIGHTS = "rights", PROVENANCE = "provenance", IS_PART_OF = "isPartOf",
        HAS_PART = "hasPart", SOURCE = "source", CREATOR = "creator", PERIOD_OF_TIME = "PeriodOfTime",
        PROVENANCE_STATEMENT = "ProvenanceStatement", RIGHTS_STATEMENT = "RightsStatement",
        STANDARD = "Standard", LOCATION = "Location", LICENSE_DOCUMENT = "LicenseDocument",
        LINGUISTIC_SYSTEM = "LinguisticSystem", MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent",
        RELATION = "relation", FREQUENCY = "Frequency", MEDIA_TYPE = "MediaType", CREATED = "created",
        SUBJECT = "subject", IS_VERSION_OF = "isVersionOf",
    }
);
terms!(
    /// DCAT-AP's own namespace.
    dcatap, "http://data.europa.eu/r5r/", {
        APPLICABLE_LEGISLATION = "applicableLegislation", AVAILABILITY = "availability",
        HVD_CATEGORY = "hvdCategory",
    }
);
terms!(
    /// FOAF.
    foaf, "http://xmlns.com/foaf/0.1/", {
        AGENT = "Agent", ORGANIZATION = "Organization", PERSON = "Person", NAME = "name",
        HOMEPAGE = "homepage", PAGE = "page", MBOX = "mbox", PRIMARY_TOPIC = "primaryTopic",
        DOCUMENT = "Document",
    }
);
terms!(
    /// vCard, for contact points.
    vcard, "http://www.w3.org/2006/vcard/ns#", {
        KIND = "Kind", ORGANIZATION = "Organization", INDIVIDUAL = "Individual", FN = "fn",
        HAS_EMAIL = "hasEmail", HAS_TELEPHONE = "hasTelephone", HAS_URL = "hasURL",
        HAS_ADDRESS = "hasAddress", HAS_VALUE = "hasValue", STREET_ADDRESS = "street-address",
        LOCALITY = "locality", POSTAL_CODE = "postal-code", COUNTRY_NAME = "country-name",
    }
);
terms!(
    /// ADMS.
    adms, "http://www.w3.org/ns/adms#", { VERSION_NOTES = "versionNotes", STATUS = "status", IDENTIFIER = "identifier" }
);
terms!(
    /// SKOS.
    skos, "http://www.w3.org/2004/02/skos/core#", {
        CONCEPT = "Concept", CONCEPT_SCHEME = "ConceptScheme", PREF_LABEL = "prefLabel",
        ALT_LABEL = "altLabel", DEFINITION = "definition", NOTATION = "notation", IN_SCHEME = "inScheme",
        TOP_CONCEPT_OF = "topConceptOf", HAS_TOP_CONCEPT = "hasTopConcept", BROADER = "broader",
        NARROWER = "narrower", EXACT_MATCH = "exactMatch", CLOSE_MATCH = "closeMatch", BROAD_MATCH = "broadMatch",
        SCOPE_NOTE = "scopeNote", EDITORIAL_NOTE = "editorialNote", NOTE = "note", HIDDEN_LABEL = "hiddenLabel",
    }
);
terms!(
    /// PROV-O.
    prov, "http://www.w3.org/ns/prov#", {
        QUALIFIED_ATTRIBUTION = "qualifiedAttribution", ATTRIBUTION = "Attribution", AGENT = "agent",
        WAS_DERIVED_FROM = "wasDerivedFrom", WAS_GENERATED_BY = "wasGeneratedBy", ACTIVITY = "Activity",
    }
);
terms!(
    /// OWL.
    owl, "http://www.w3.org/2002/07/owl#", { SAME_AS = "sameAs", VERSION_INFO = "versionInfo" }
);
terms!(
    /// DDI-RDF Discovery.
    disco, "http://rdf-vocabulary.ddialliance.org/discovery#", {
        VARIABLE = "Variable", VARIABLE_PROP = "variable", REPRESENTATION = "representation",
        CONCEPT = "concept", ANALYSIS_UNIT = "analysisUnit", IS_VALID = "isValid",
    }
);
terms!(
    /// CSV on the Web.
    csvw, "http://www.w3.org/ns/csvw#", {
        TABLE_GROUP = "TableGroup", TABLE = "Table", COLUMN = "Column", TABLE_PROP = "table",
        COLUMN_PROP = "column", NAME = "name", TITLE = "title", TITLES = "titles", DATATYPE = "datatype",
        PROPERTY_URL = "propertyUrl", MINIMUM = "minimum", MAXIMUM = "maximum", NULL = "null",
        REQUIRED = "required",
    }
);
terms!(
    /// QUDT, for UCUM unit codes.
    qudt, "http://qudt.org/schema/qudt/", { UCUM_CODE = "ucumCode", UCUM_CS = "UCUMcs" }
);
terms!(
    /// schema.org, for validity periods of codes.
    schema, "http://schema.org/", {
        VALID_FROM = "validFrom", VALID_THROUGH = "validThrough",
        // DCAT-AP 1.x/2.0 period dates, read by the harvester and written as dcat:startDate/endDate
        START_DATE = "startDate", END_DATE = "endDate",
    }
);
terms!(
    /// HealthDCAT-AP (namespace stable across releases).
    healthdcatap, "http://healthdataportal.eu/ns/health#", {
        HEALTH_CATEGORY = "healthCategory", HEALTH_THEME = "healthTheme", HDAB = "hdab",
        HAS_CODING_SYSTEM = "hasCodingSystem", HAS_CODE_VALUES = "hasCodeValues",
        NUMBER_OF_RECORDS = "numberOfRecords", NUMBER_OF_UNIQUE_INDIVIDUALS = "numberOfUniqueIndividuals",
        MIN_TYPICAL_AGE = "minTypicalAge", MAX_TYPICAL_AGE = "maxTypicalAge",
        POPULATION_COVERAGE = "populationCoverage", PUBLISHER_TYPE = "publisherType",
        HAS_VARIABLES = "hasVariables", HAS_STRUCTURED_DATA = "hasStructuredData",
        TRUSTED_DATA_HOLDER = "trustedDataHolder", PUBLISHER_NOTE = "publisherNote",
    }
);
terms!(
    /// The Core Public Service / Core Vocabularies namespace: HealthDCAT-AP Release 7+ gives the
    /// HDAB, the publisher and the custodian a `cv:contactPoint`.
    cv, "http://data.europa.eu/m8g/", {
        CONTACT_POINT_CLASS = "ContactPoint", CONTACT_POINT = "contactPoint", EMAIL = "email",
        CONTACT_PAGE = "contactPage", TELEPHONE = "telephone",
    }
);
terms!(
    /// GeoDCAT-AP: the custodian (the EHDS health data holder in HealthDCAT-AP).
    geodcatap, "http://data.europa.eu/930/", { CUSTODIAN = "custodian" }
);
terms!(
    /// Data Privacy Vocabulary.
    dpv, "https://w3id.org/dpv#", {
        HAS_PERSONAL_DATA = "hasPersonalData", HAS_PURPOSE = "hasPurpose", HAS_LEGAL_BASIS = "hasLegalBasis",
        PERSONAL_DATA = "PersonalData", PURPOSE = "Purpose", LEGAL_BASIS = "LegalBasis",
    }
);
terms!(
    /// Hydra (paging of the published catalogue).
    hydra, "http://www.w3.org/ns/hydra/core#", {
        PARTIAL_COLLECTION_VIEW = "PartialCollectionView", PAGED_COLLECTION = "PagedCollection",
        TOTAL_ITEMS = "totalItems", ITEMS_PER_PAGE = "itemsPerPage", NEXT = "next", NEXT_PAGE = "nextPage",
        PREVIOUS = "previous", PREVIOUS_PAGE = "previousPage", FIRST = "first", FIRST_PAGE = "firstPage",
        LAST = "last", LAST_PAGE = "lastPage", VIEW = "view",
    }
);
terms!(
    /// The project's own terms, used only where no standard term exists.
    vk, "https://w3id.org/vardkatalog/ns#", {
        USE_CASE = "UseCase", USES_VARIABLE = "usesVariable", USES_DATASET = "usesDataset",
        REQUIREMENT_CLASS = "Requirement", REQUIREMENT = "requirement", COLLECTION = "collection",
        LEVEL = "level", CONDITION = "condition", REQUIRED = "Required", CONDITIONAL = "Conditional",
        OPTIONAL = "Optional", REFERENCE_GROUP = "referenceGroup", PRIORITY = "priority",
        INPUT_OUTPUT_NOTE = "inputOutputNote", NEEDS_INPUT = "needsInput", ORDER = "order",
        RECORD = "Record", KIND = "kind", STATE = "state", RECORD_VERSION = "version", SOURCE = "source",
        CONTENT_HASH = "contentHash", GENERATION = "generation", DRAFT = "Draft", IN_REVIEW = "InReview", PUBLISHED = "Published",
        RETIRED = "Retired", REVISION = "revision", COMMIT = "Commit", COMMIT_ID = "commitId", CHANGED = "changed",
        WRITE_CLAIM = "WriteClaim", CODE_PATTERN = "codePattern",
        // a remote store's staged batch (`store::remote`): internal, never public
        STAGED_BATCH = "StagedBatch", STAGED_PART = "stagedPart", STAGED_GRAPH = "stagedGraph", REVISION_STEP = "revisionStep",
        REVISION_BASE = "revisionBase", EXPECT_ABSENT = "expectAbsent", EXPECT_REVISION = "expectRevision", WAS_PUBLIC = "wasPublic",
        // a variable's documentation (issue 18 item 5): missing values with their meaning, its
        // temporality and the unit types (`disco:analysisUnit` values)
        MISSING_VALUE = "missingValue", TEMPORALITY = "temporality", EVENT_TEMPORALITY = "Event",
        STATUS_TEMPORALITY = "StatusAtDate", ACCUMULATED_TEMPORALITY = "AccumulatedOverPeriod",
        PERSON_UNIT = "Person", EVENT_UNIT = "CareEvent", STAY_UNIT = "Stay", PRESCRIPTION_UNIT = "Prescription",
    }
);

terms!(
    /// W3C Data Quality Vocabulary: the quality label's measurements, metrics and certificate.
    dqv, "http://www.w3.org/ns/dqv#", {
        HAS_QUALITY_MEASUREMENT = "hasQualityMeasurement", HAS_QUALITY_ANNOTATION = "hasQualityAnnotation",
        QUALITY_MEASUREMENT = "QualityMeasurement", QUALITY_CERTIFICATE = "QualityCertificate",
        IS_MEASUREMENT_OF = "isMeasurementOf", VALUE = "value", COMPUTED_ON = "computedOn",
        METRIC = "Metric", DIMENSION = "Dimension", CATEGORY = "Category", IN_DIMENSION = "inDimension",
        IN_CATEGORY = "inCategory", EXPECTED_DATA_TYPE = "expectedDataType", QUALITY_ASSESSMENT = "qualityAssessment",
    }
);
terms!(
    /// Web Annotation: DQV's quality annotations are annotations.
    oa, "http://www.w3.org/ns/oa#", { HAS_TARGET = "hasTarget", HAS_BODY = "hasBody", MOTIVATED_BY = "motivatedBy" }
);

terms!(
    /// The ELI ontology (legislation).
    eli, "http://data.europa.eu/eli/ontology#", { LEGAL_RESOURCE = "LegalResource" }
);

/// EU Publications Office authority tables (NALs) used by DCAT-AP and DCAT-AP-SE.
pub mod eu {
    pub const AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";
    pub const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";
    pub const DATA_THEME_SCHEME: &str = "http://publications.europa.eu/resource/authority/data-theme";
    pub const ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";
    pub const FREQUENCY: &str = "http://publications.europa.eu/resource/authority/frequency/";
    pub const LANGUAGE: &str = "http://publications.europa.eu/resource/authority/language/";
    pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
    pub const COUNTRY: &str = "http://publications.europa.eu/resource/authority/country/";
    pub const DATASET_TYPE: &str = "http://publications.europa.eu/resource/authority/dataset-type/";
    pub const PLANNED_AVAILABILITY: &str = "http://publications.europa.eu/resource/authority/planned-availability/";
    pub const IANA_MEDIA_TYPES: &str = "http://www.iana.org/assignments/media-types/";
    pub const ADMS_PUBLISHER_TYPE: &str = "http://purl.org/adms/publishertype/";
    /// The ADMS publisher-type scheme (members are `{ADMS_PUBLISHER_TYPE}{code}`).
    pub const ADMS_PUBLISHER_TYPE_SCHEME: &str = "http://purl.org/adms/publishertype/1.0";
    /// The scheme IRI of an authority table is its base without the trailing slash.
    pub fn scheme_of(base: &str) -> &str {
        base.trim_end_matches('/')
    }
    pub const CC0: &str = "http://creativecommons.org/publicdomain/zero/1.0/";
    /// The EHDS regulation, (EU) 2025/327.
    pub const EHDS_ELI: &str = "http://data.europa.eu/eli/reg/2025/327/oj";
    /// EU file types (codes of `FILE_TYPE`) and the IANA media types they correspond to.
    pub const FILE_TYPES: &[(&str, &str)] = &[
        ("CSV", "text/csv"),
        ("HTML", "text/html"),
        ("JSON", "application/json"),
        ("JSON_LD", "application/ld+json"),
        ("GEOJSON", "application/geo+json"),
        ("PDF", "application/pdf"),
        ("RDF_N_TRIPLES", "application/n-triples"),
        ("RDF_TURTLE", "text/turtle"),
        ("RDF_XML", "application/rdf+xml"),
        ("TSV", "text/tab-separated-values"),
        ("TXT", "text/plain"),
        ("XLS", "application/vnd.ms-excel"),
        ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("XML", "application/xml"),
        ("ZIP", "application/zip"),
    ];
    /// The High-Value Datasets implementing regulation, (EU) 2023/138.
    pub const HVD_ELI: &str = "http://data.europa.eu/eli/reg_impl/2023/138/oj";
    /// The Data Governance Act, (EU) 2022/868.
    pub const DGA_ELI: &str = "http://data.europa.eu/eli/reg/2022/868/oj";
    /// INSPIRE responsible-party role "owner".
    pub const ROLE_OWNER: &str = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/owner";
}

/// HealthDCAT-AP's controlled vocabularies. Records store the Release 8 bases (HealthData@EU's
/// `hdeu-dcat` authority tables); the `healthdcat-ap-r5` projection publishes under the bases of
/// the older releases (a setting), and records or harvested input written with an older base are
/// read with the Release 8 one ([`health::upgrade`]).
pub mod health {
    /// Where HealthData@EU publishes the Release 8 vocabularies.
    pub const AUTHORITY: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/";
    pub const CATEGORY_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/";
    pub const THEME_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/health-theme/";
    pub const PUBLISHER_TYPE_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/publisher-type/";
    pub const CODING_SYSTEM_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/";
    pub const STANDARD_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/standard/";
    pub const ACTIVITY_BASE: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/health-activity/";

    /// The bases of the draft and Release 5 (what `healthdcat-ap-r5` publishes by default).
    pub const R5_CATEGORY_BASE: &str = "http://healthdataportal.eu/resource/authority/healthcategories/";
    pub const R5_THEME_BASE: &str = "http://healthdataportal.eu/resource/authority/health-theme/";
    pub const R5_PUBLISHER_TYPE_BASE: &str = "http://healthdataportal.eu/resource/authority/publisher-type/";

    /// Older or other bases of the same vocabularies that records and harvested catalogues
    /// carry (the draft and Release 5 base, HealthData@EU's acceptance environment, `http:`
    /// spellings), with the Release 8 base each is read as.
    const LEGACY: &[(&str, &str)] = &[
        (R5_CATEGORY_BASE, CATEGORY_BASE),
        (R5_THEME_BASE, THEME_BASE),
        (R5_PUBLISHER_TYPE_BASE, PUBLISHER_TYPE_BASE),
        ("https://healthdataportal.eu/resource/authority/healthcategories/", CATEGORY_BASE),
        ("https://healthdataportal.eu/resource/authority/health-theme/", THEME_BASE),
        ("https://healthdataportal.eu/resource/authority/publisher-type/", PUBLISHER_TYPE_BASE),
        ("http://hdeu-dcat.data.health.europa.eu/resource/authority/", AUTHORITY),
        ("https://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/", AUTHORITY),
        ("http://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/", AUTHORITY),
    ];

    /// Publisher-type codes of the draft and Release 5 list and the Release 8 code each is read
    /// as (the draft's `statitics` is its own spelling). A code not listed is kept as written.
    const PUBLISHER_TYPES: &[(&str, &str)] = &[
        ("govHealth", "national-authority"),
        ("healthcareSystem", "regional-authority"),
        ("statitics", "stat-agency"),
        ("statistics", "stat-agency"),
        ("academicResearch", "research-academic-org"),
        ("industry", "private-sector-entities"),
        ("nonProfit", "not-for-profit-org"),
    ];

    /// A vocabulary IRI as Release 8 writes it: an older base replaced by the Release 8 one, and
    /// an older publisher-type code by its Release 8 code. Anything else is returned unchanged.
    pub fn upgrade(iri: &str) -> Option<String> {
        let (old, new) = LEGACY.iter().find(|(old, _)| iri.starts_with(old))?;
        let mut out = format!("{new}{}", &iri[old.len()..]);
        if let Some(code) = out.strip_prefix(PUBLISHER_TYPE_BASE)
            && let Some((_, r8)) = PUBLISHER_TYPES.iter().find(|(c, _)| *c == code)
        {
            out = format!("{PUBLISHER_TYPE_BASE}{r8}");
        }
        Some(out)
    }

    /// The code of a Release 8 vocabulary IRI under `base`.
    pub fn code<'a>(base: &str, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(base).filter(|c| !c.is_empty())
    }
}

/// Internal graph and node names (never published).
pub mod internal {
    /// The graph holding one metadata node per record graph.
    pub const RECORDS_GRAPH: &str = "urn:vardkatalog:records";
    /// The node that carries the store's write generation.
    pub const STORE_NODE: &str = "urn:vardkatalog:store";
    /// The graph of the store's change log: one node per committed write transaction.
    pub const CHANGES_GRAPH: &str = "urn:vardkatalog:changes";
    /// Prefix of a change-log node: `{prefix}{generation}`.
    pub const COMMIT_PREFIX: &str = "urn:vardkatalog:commit:";
    /// Prefix of a writer's claim on a remote store's write lock: `{prefix}{random id}` (in
    /// [`RECORDS_GRAPH`], gone when its batch commits; see `store::remote`).
    pub const CLAIM_PREFIX: &str = "urn:vardkatalog:claim:";
    /// Prefix of the graphs a remote store stages a large batch in before one small update
    /// moves it into place: `{prefix}{commit id}` (the batch's manifest, also its node in
    /// [`RECORDS_GRAPH`]), `{prefix}{commit id}:meta` and `{prefix}{commit id}:{n}` (see
    /// `store::remote`). Never read as records, never public.
    pub const STAGING_PREFIX: &str = "urn:vardkatalog:staging:";
    /// Source IRI of records loaded from catalog-seed.
    pub const SEED_SOURCE: &str = "urn:vardkatalog:source:seed";
    /// Source IRI of records imported from a file by hand.
    pub const IMPORT_SOURCE: &str = "urn:vardkatalog:source:import";
    /// Prefix of the source IRI of records a harvest source brings: `{prefix}{source id}`.
    pub const HARVEST_SOURCE_PREFIX: &str = "urn:vardkatalog:source:harvest:";
}

/// Prefixes written into serialised output, so Turtle and RDF/XML read well.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("xsd", xsd::NS),
    ("dcat", dcat::NS),
    ("dct", dct::NS),
    ("dcatap", dcatap::NS),
    ("foaf", foaf::NS),
    ("vcard", vcard::NS),
    ("adms", adms::NS),
    ("skos", skos::NS),
    ("prov", prov::NS),
    ("owl", owl::NS),
    ("disco", disco::NS),
    ("csvw", csvw::NS),
    ("qudt", qudt::NS),
    ("schema", schema::NS),
    ("healthdcatap", healthdcatap::NS),
    ("dpv", dpv::NS),
    ("cv", cv::NS),
    ("geodcatap", geodcatap::NS),
    ("hydra", hydra::NS),
    ("dqv", dqv::NS),
    ("oa", oa::NS),
    ("vk", vk::NS),
];

/// The properties that hold internal curation data: editorial notes and the flag that a record
/// needs input. The store keeps them for the curators; nothing public carries them (pages for
/// the public, exports, every RDF profile, the public SPARQL endpoint, search).
pub const INTERNAL: [NamedNodeRef<'static>; 2] = [skos::EDITORIAL_NOTE, vk::NEEDS_INPUT];

/// Whether a property holds internal curation data ([`INTERNAL`]).
pub fn is_internal(p: NamedNodeRef<'_>) -> bool {
    INTERNAL.contains(&p)
}
