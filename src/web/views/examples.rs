//! The example queries of `/sparql`: that page's content (and the page for machines' links),
//! not queries the code sends. Here, below both pages, so neither imports the other.

use crate::config::Lang;

pub const PREFIXES: &str = "PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX disco: <http://rdf-vocabulary.ddialliance.org/discovery#>
PREFIX healthdcatap: <http://healthdataportal.eu/ns/health#>
";

/// The example queries: (Swedish title, English title, Swedish text, English text, query).
pub const EXAMPLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Variabler i ett register",
        "Variables of a register",
        "Tekniskt namn och benämning på variablerna i Patientregistrets slutenvårdsdel.",
        "Technical name and label of the variables in the inpatient part of the National Patient Register.",
        "SELECT ?namn ?benamning ?variabel WHERE {
  ?dataset dct:title \"Patientregistret, sluten vård\"@sv ;
           disco:variable ?variabel .
  ?variabel skos:notation ?namn ;
            skos:prefLabel ?benamning .
  FILTER(LANG(?benamning) = \"sv\")
}
ORDER BY ?namn",
    ),
    (
        "Datamängder per hälsodatakategori",
        "Datasets by health category",
        "Hur många datamängder som finns i varje EHDS-kategori (artikel 51), och vilka.",
        "How many datasets there are in each EHDS category (Article 51), and which.",
        "SELECT ?kategori (COUNT(?dataset) AS ?antal)
       (GROUP_CONCAT(?titel; separator=\" | \") AS ?datamangder) WHERE {
  ?dataset healthdcatap:healthCategory ?kategori ;
           dct:title ?titel .
  FILTER(LANG(?titel) = \"sv\")
}
GROUP BY ?kategori
ORDER BY DESC(?antal)",
    ),
    (
        "Kodlistor per kodverk",
        "Code lists by coding system",
        "Kodlistor som bygger på ett kodverk, eller som används av variabler kodade med det.",
        "Code lists built on a coding system, or used by variables coded with it.",
        "SELECT DISTINCT ?kodverk ?kodlista ?kodlistnamn WHERE {
  { ?lista dct:conformsTo ?std }
  UNION
  { ?variabel healthdcatap:hasCodingSystem ?std ;
              disco:representation ?lista }
  ?lista a skos:ConceptScheme ;
         dct:title ?kodlistnamn .
  ?std dct:title ?kodverk .
  BIND(?lista AS ?kodlista)
  FILTER(LANG(?kodlistnamn) = \"sv\" && LANG(?kodverk) = \"sv\")
}
ORDER BY ?kodverk ?kodlistnamn",
    ),
];

/// The example queries with their prefixes, for tests and the page.
/// The example queries as (title, address of the page with the query filled in).
pub fn examples(lang: Lang) -> Vec<(&'static str, String)> {
    EXAMPLES
        .iter()
        .map(|(sv, en, _, _, q)| (if lang == Lang::En { *en } else { *sv }, crate::web::kernel::paths::sparql(&format!("{PREFIXES}{q}"))))
        .collect()
}

pub fn example_queries() -> Vec<String> {
    EXAMPLES.iter().map(|(_, _, _, _, q)| format!("{PREFIXES}{q}")).collect()
}
