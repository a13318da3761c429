//! Technical names as people mean them: `Kon`, `kon` and `KÖN` are one name. The fold is
//! written once here and used both by the matching rule (`matching`) and by the query that
//! finds its candidates (`store::queries::match_candidates`, as a chain of `REPLACE`s).

/// Letters with marks and the plain letters they fold to, as (a regular-expression class of
/// lower-case letters, its replacement). Lower-casing comes first.
pub const FOLDS: [(&str, &str); 7] =
    [("[åäáàâãā]", "a"), ("[öóòôõøō]", "o"), ("[éèêëē]", "e"), ("[üúùûū]", "u"), ("[íìîïī]", "i"), ("[ç]", "c"), ("[ñ]", "n")];

/// A technical name compared without case, marks and surrounding or inner whitespace:
/// `" Kön "` → `"kon"`.
pub fn name(s: &str) -> String {
    let lower: String = s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    lower.chars().map(fold_char).collect()
}

/// Text compared without case and marks, whitespace kept: `"Kön man"` → `"kon man"` (the
/// search of the edit forms' pickers).
pub fn text(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    for (class, plain) in FOLDS {
        if class.trim_start_matches('[').trim_end_matches(']').contains(c) {
            return plain.chars().next().unwrap_or(c);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_marks_and_whitespace() {
        assert_eq!(name("Kon"), name("kon"));
        assert_eq!(name("KÖN"), "kon");
        assert_eq!(name(" Lan "), name("Län"));
        assert_eq!(name("Fodelsear"), name("FÖDELSEÅR"));
        assert_ne!(name("Kon"), name("Kod"));
        assert_eq!(text("Kön Män"), "kon man");
    }
}
