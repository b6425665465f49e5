//! What a visitor may type into the search of published documents and recommendations,
//! read into terms the store turns into its database's query syntax (FTS5 on SQLite,
//! `tsquery` on PostgreSQL).
//!
//! The syntax is small on purpose, the same on both databases, and has no operator a
//! visitor could use to break the query: every word must occur; `"two words"` must
//! occur together, in that order; `word*` matches words starting with `word`. A word is
//! a run of letters and digits (any script); everything else separates words. `AND`,
//! `OR`, `NOT` and `NEAR` in capitals are the operators of other search syntaxes, not
//! words to look for: they are left out.

use crate::ValueError;

/// The longest query, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Words of other search syntaxes, left out of a query (see the module's comment).
const OPERATORS: [&str; 4] = ["AND", "OR", "NOT", "NEAR"];

/// One thing every hit must contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchTerm {
    /// A word, letters and digits only.
    Word(String),
    /// Any word starting with these letters and digits.
    Prefix(String),
    /// Two or more words, together and in this order.
    Phrase(Vec<String>),
}

/// A search query with at least one term and at most [`MAX_SEARCH_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText {
    text: String,
    terms: Vec<SearchTerm>,
}

impl SearchText {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let chars = text.chars().count();
        if chars > MAX_SEARCH_CHARS {
            return Err(ValueError::TextTooLong {
                chars,
                max: MAX_SEARCH_CHARS,
            });
        }
        if text.chars().any(char::is_control) {
            return Err(ValueError::ControlCharacter);
        }
        let mut terms = Vec::new();
        let mut phrase: Option<Vec<String>> = None;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                match phrase.take() {
                    Some(words) => terms.extend(phrase_term(words)),
                    None => phrase = Some(Vec::new()),
                }
                continue;
            }
            if !c.is_alphanumeric() {
                continue;
            }
            let mut word = String::from(c);
            while let Some(&next) = chars.peek().filter(|next| next.is_alphanumeric()) {
                word.push(next);
                chars.next();
            }
            match &mut phrase {
                Some(words) => words.push(word),
                None if OPERATORS.contains(&word.as_str()) => {}
                None if chars.peek() == Some(&'*') => {
                    chars.next();
                    terms.push(SearchTerm::Prefix(word));
                }
                None => terms.push(SearchTerm::Word(word)),
            }
        }
        // A phrase left open runs to the end.
        if let Some(words) = phrase {
            terms.extend(phrase_term(words));
        }
        if terms.is_empty() {
            return Err(ValueError::NoSearchWords);
        }
        Ok(Self {
            text: text.to_owned(),
            terms,
        })
    }

    /// The query as typed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What every hit must contain, at least one.
    pub fn terms(&self) -> &[SearchTerm] {
        &self.terms
    }
}

fn phrase_term(mut words: Vec<String>) -> Option<SearchTerm> {
    match words.len() {
        0 => None,
        1 => words.pop().map(SearchTerm::Word),
        _ => Some(SearchTerm::Phrase(words)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> SearchTerm {
        SearchTerm::Word(w.to_owned())
    }

    #[track_caller]
    fn check(text: &str, expected: Result<Vec<SearchTerm>, &str>) {
        let parsed = SearchText::parse(text);
        match expected {
            Ok(terms) => assert_eq!(parsed.map(|s| s.terms().to_vec()), Ok(terms), "{text:?}"),
            Err(code) => assert_eq!(parsed.map_err(|e| e.code()), Err(code), "{text:?}"),
        }
    }

    #[test]
    fn words_phrases_and_prefixes_are_read_and_everything_else_separates_them() {
        check(
            "critical infrastructure",
            Ok(vec![word("critical"), word("infrastructure")]),
        );
        check(
            "\"critical infrastructure\" health*",
            Ok(vec![
                SearchTerm::Phrase(vec!["critical".into(), "infrastructure".into()]),
                SearchTerm::Prefix("health".into()),
            ]),
        );
        check(
            "cyber-attack's",
            Ok(vec![word("cyber"), word("attack"), word("s")]),
        );
        check(
            "\"open phrase",
            Ok(vec![SearchTerm::Phrase(vec![
                "open".into(),
                "phrase".into(),
            ])]),
        );
        check("\"one\"", Ok(vec![word("one")]));
        check(
            "hôpitaux 医院 مستشفى",
            Ok(vec![word("hôpitaux"), word("医院"), word("مستشفى")]),
        );
        check(
            "health AND energy",
            Ok(vec![word("health"), word("energy")]),
        );
        check(
            "\"AND OR\"",
            Ok(vec![SearchTerm::Phrase(vec!["AND".into(), "OR".into()])]),
        );
        check("and or", Ok(vec![word("and"), word("or")]));
        check(
            "x'); DROP TABLE reviews; --",
            Ok(vec![
                word("x"),
                word("DROP"),
                word("TABLE"),
                word("reviews"),
            ]),
        );
    }

    #[test]
    fn a_query_without_a_word_or_too_long_is_refused() {
        for text in [
            "",
            "   ",
            "\"\"",
            "*",
            "AND OR",
            "NEAR(",
            "\"\" * - ( ) :",
            "^",
        ] {
            check(text, Err("no_search_words"));
        }
        check(
            &"a".repeat(MAX_SEARCH_CHARS),
            Ok(vec![word(&"a".repeat(MAX_SEARCH_CHARS))]),
        );
        check(&"a".repeat(MAX_SEARCH_CHARS + 1), Err("text_too_long"));
        check("tab\there", Err("invalid_character"));
    }
}
