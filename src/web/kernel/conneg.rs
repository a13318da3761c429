//! Content negotiation: choosing a representation from the `Accept` header.
//!
//! Owns: parsing `Accept` (media ranges with `q` values) and picking, among the offers a
//! handler makes in its own order of preference, the one the client likes best. A missing
//! header counts as `*/*`. Ties go to the more specific range, then to the handler's order, so
//! `*/*` gets each endpoint's default (RDF/XML for `/catalog`, the page for a record IRI).

/// One media range of an `Accept` header.
#[derive(Clone, Debug, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    q: f32,
}

fn parse(header: Option<&str>) -> Vec<MediaRange> {
    let Some(header) = header.filter(|h| !h.trim().is_empty()) else {
        return vec![MediaRange { kind: "*".into(), subtype: "*".into(), q: 1.0 }];
    };
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let (kind, subtype) = pieces.next()?.trim().to_ascii_lowercase().split_once('/').map(|(a, b)| (a.to_owned(), b.to_owned()))?;
            let mut q = 1.0;
            for p in pieces {
                if let Some((k, v)) = p.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
                }
            }
            Some(MediaRange { kind, subtype, q })
        })
        .collect()
}

/// The quality and specificity (2 exact, 1 `type/*`, 0 `*/*`) the client gives a media type;
/// the most specific matching range decides, as RFC 9110 says.
fn quality(ranges: &[MediaRange], offered: &str) -> Option<(f32, u8)> {
    let (kind, subtype) = offered.split_once('/')?;
    ranges
        .iter()
        .filter_map(|r| {
            let specificity = if r.kind == kind && r.subtype == subtype {
                2
            } else if r.kind == kind && r.subtype == "*" {
                1
            } else if r.kind == "*" && r.subtype == "*" {
                0
            } else {
                return None;
            };
            Some((r.q, specificity))
        })
        .max_by_key(|(_, s)| *s)
}

/// Picks the offer the client prefers: the index into `offers` of the best media type with a
/// non-zero quality, or `None` when none is acceptable.
pub fn choose(accept: Option<&str>, offers: &[&str]) -> Option<usize> {
    let ranges = parse(accept);
    let mut best: Option<(usize, f32, u8)> = None;
    for (i, offer) in offers.iter().enumerate() {
        let Some((q, s)) = quality(&ranges, offer) else { continue };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, bq, bs)) => q > bq || (q == bq && s > bs),
        };
        if better {
            best = Some((i, q, s));
        }
    }
    best.map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &[&str] =
        &["application/rdf+xml", "text/turtle", "application/ld+json", "application/n-triples", "text/html", "application/xml"];

    #[test]
    fn harvesters_and_browsers_get_what_they_ask_for() {
        assert_eq!(choose(None, CATALOG), Some(0), "no Accept: the first offer");
        assert_eq!(choose(Some("*/*"), CATALOG), Some(0));
        assert_eq!(choose(Some("text/turtle"), CATALOG), Some(1));
        assert_eq!(choose(Some("application/ld+json, */*;q=0.1"), CATALOG), Some(2));
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(choose(Some(firefox), CATALOG), Some(4));
        assert_eq!(choose(Some("text/*"), CATALOG), Some(1), "the handler's order among equals");
        assert_eq!(choose(Some("image/png"), CATALOG), None);
        assert_eq!(choose(Some("text/turtle;q=0, */*"), &["text/turtle", "text/html"]), Some(1));
        assert_eq!(choose(Some("application/n-triples;q=0.5, text/turtle;q=0.9"), CATALOG), Some(1));
    }
}
