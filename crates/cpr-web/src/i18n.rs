//! The interface text: one Project Fluent catalogue per language (`locales/<code>/site.ftl`),
//! compiled into the binary. English is the reference: every other catalogue has each of
//! its keys (a test holds them to it), and a key missing at run time falls back to English
//! rather than showing a bare key.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::lang::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Values are wrapped in <bdi> by the templates where direction matters; the
        // invisible isolation marks Fluent would add break copy-and-paste and search.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Lang) -> LanguageIdentifier {
    // The six codes are valid identifiers; parsing them cannot fail.
    lang.code().parse().unwrap_or_default()
}

/// The text of `key` in `lang`, with `args` filled in.
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentArg)]) -> String {
    let id = langid(lang);
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| (Cow::Owned((*name).to_owned()), value.to_fluent()))
        .collect();
    let args = (!args.is_empty()).then_some(&args);
    LOCALES
        .try_lookup_complete(&id, key, args)
        .unwrap_or_else(|| {
            tracing::warn!(key, lang = lang.code(), "interface text missing");
            key.to_owned()
        })
}

/// A value handed to a message: numbers keep their plural rules.
#[derive(Clone, Debug)]
pub enum FluentArg {
    Text(String),
    Number(f64),
}

impl FluentArg {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            FluentArg::Text(text) => FluentValue::from(text.as_str()),
            FluentArg::Number(n) => FluentValue::from(*n),
        }
    }
}

/// The catalogue files as compiled in, for the completeness test.
#[cfg(test)]
pub(crate) fn catalogue_source(lang: Lang) -> &'static str {
    match lang {
        Lang::Ar => include_str!("../locales/ar/site.ftl"),
        Lang::Zh => include_str!("../locales/zh/site.ftl"),
        Lang::En => include_str!("../locales/en/site.ftl"),
        Lang::Fr => include_str!("../locales/fr/site.ftl"),
        Lang::Ru => include_str!("../locales/ru/site.ftl"),
        Lang::Es => include_str!("../locales/es/site.ftl"),
    }
}

#[cfg(test)]
pub(crate) fn message_ids(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_catalogue_has_every_key_of_the_english_one() {
        let english: BTreeSet<&str> = message_ids(catalogue_source(Lang::En))
            .into_iter()
            .collect();
        assert!(english.len() > 50, "the English catalogue looks empty");
        for lang in Lang::ALL {
            let ids: BTreeSet<&str> = message_ids(catalogue_source(lang)).into_iter().collect();
            let missing: Vec<_> = english.difference(&ids).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            let extra: Vec<_> = ids.difference(&english).collect();
            assert!(
                extra.is_empty(),
                "{} has keys English lacks: {extra:?}",
                lang.code()
            );
        }
    }

    /// Each message of a catalogue with the variables its English text uses.
    fn variables(id: &str) -> Vec<String> {
        let source = catalogue_source(Lang::En);
        let start = source
            .lines()
            .position(|line| line.split_once('=').is_some_and(|(i, _)| i.trim() == id))
            .unwrap_or(0);
        source
            .lines()
            .skip(start)
            .enumerate()
            .take_while(|(i, line)| *i == 0 || !line.starts_with(|c: char| c.is_ascii_lowercase()))
            .flat_map(|(_, line)| {
                line.split('$')
                    .skip(1)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_message_resolves_in_every_language() {
        for lang in Lang::ALL {
            for id in message_ids(catalogue_source(Lang::En)) {
                let args: HashMap<Cow<'static, str>, FluentValue<'_>> = variables(id)
                    .into_iter()
                    .map(|name| (Cow::Owned(name), FluentValue::from(2)))
                    .collect();
                let resolved = LOCALES.lookup_single_language(&langid(lang), id, Some(&args));
                assert!(
                    resolved.is_ok(),
                    "{id} does not resolve in {}: {resolved:?}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn a_key_missing_at_run_time_falls_back_to_english() {
        assert_eq!(
            text(Lang::Fr, "site-name", &[]),
            text(Lang::Fr, "site-name", &[])
        );
        assert_eq!(text(Lang::En, "no-such-key", &[]), "no-such-key");
    }
}
