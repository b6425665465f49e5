//! Pages are minijinja templates compiled into the binary, with auto-escaping on for
//! every `.html` template: a user's text reaches a page only escaped, and Markdown only
//! through [`markdown`], which turns raw HTML into text. The same engine renders the
//! mails (`cpr-mail`), so one template language serves both.

use std::sync::LazyLock;

use minijinja::value::{Kwargs, Serde};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::i18n::{self, FluentArg};
use crate::lang::Lang;

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("cycle.html", include_str!("../templates/cycle.html")),
    ("review.html", include_str!("../templates/review.html")),
    ("state.html", include_str!("../templates/state.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("listings.html", include_str!("../templates/listings.html")),
    ("norm.html", include_str!("../templates/norm.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    (
        "organisation.html",
        include_str!("../templates/organisation.html"),
    ),
    (
        "recommendations.html",
        include_str!("../templates/recommendations.html"),
    ),
    (
        "subscribe.html",
        include_str!("../templates/subscribe.html"),
    ),
    (
        "subscription.html",
        include_str!("../templates/subscription.html"),
    ),
    (
        "open_data.html",
        include_str!("../templates/open_data.html"),
    ),
];

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Semi-strict: a misspelt name in output is an error (a test renders every page), while
    // `{% if x.optional %}` may test a field a view leaves out.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // A template that does not parse is a bug of this release: every page test
            // renders each template, so it cannot ship.
            tracing::error!(template = name, error = %e, "template does not parse");
        }
    }
    env.add_function("t", translate);
    env.add_filter("date", date);
    env.add_filter("datetime", datetime);
    env.add_filter("num", number);
    env.add_filter("markdown", markdown);
    env
});

/// Renders `template` for a page in `lang`; `here` is the page's path without its language
/// prefix, for the language switch.
pub fn page(lang: Lang, template: &str, here: &str, context: Value) -> Result<String, Error> {
    let langs: Vec<Value> = Lang::ALL
        .iter()
        .map(|other| {
            minijinja::context! {
                code => other.code(),
                autonym => other.autonym(),
                href => format!("/{}{}", other.code(), here),
                current => *other == lang,
            }
        })
        .collect();
    let base = minijinja::context! {
        lang => lang.code(),
        dir => lang.dir(),
        langs,
        here,
        // One of six fixed strings, so not escaped (escaping would write `&#x2f;en`).
        prefix => Value::from_safe_string(format!("/{}", lang.code())),
    };
    ENV.get_template(template)?
        .render(minijinja::context! { ..base, ..context })
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::En)
}

/// `t("key", name=value, ...)`: the interface text of `key` in the page's language.
fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let arg = match value.as_i64() {
            Some(n) => FluentArg::Number(n as f64),
            None => FluentArg::Text(value.to_string()),
        };
        args.push((name, arg));
    }
    kwargs.assert_all_used()?;
    Ok(i18n::text(lang_of(state), key, &args))
}

fn parse_instant(value: &str) -> Result<OffsetDateTime, Error> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("not an instant: {e}")))
}

fn month_name(lang: Lang, at: OffsetDateTime) -> String {
    i18n::text(lang, &format!("month-{}", u8::from(at.month())), &[])
}

/// An RFC 3339 instant as a date of the page's language.
fn date(state: &State, value: &str) -> Result<String, Error> {
    let lang = lang_of(state);
    let at = parse_instant(value)?;
    Ok(lang.date(at, &month_name(lang, at)))
}

/// An RFC 3339 instant as a date and a time of day, named UTC.
fn datetime(state: &State, value: &str) -> Result<String, Error> {
    let lang = lang_of(state);
    let at = parse_instant(value)?;
    Ok(format!(
        "{}, {}",
        lang.date(at, &month_name(lang, at)),
        lang.time_utc(at)
    ))
}

fn number(state: &State, value: Value) -> Result<String, Error> {
    let n = value
        .as_i64()
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "num takes a whole number"))?;
    Ok(lang_of(state).number(n))
}

/// A serialisable context value (a view or a page's own JSON).
pub fn ser<T: serde::Serialize>(value: &T) -> Value {
    Value::from(Serde(value))
}

/// Markdown to HTML with raw HTML shown as text: a document's author cannot put markup,
/// scripts or styles on the page.
fn markdown(text: &str) -> Value {
    Value::from_safe_string(markdown_html(text))
}

pub fn markdown_html(text: &str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
        |event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            // A document's own headings sit under the page's: its `#` is the page's h3.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: below_the_page(level),
                id,
                classes,
                attrs,
            }),
            Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
                Event::End(pulldown_cmark::TagEnd::Heading(below_the_page(level)))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            other => other,
        },
    );
    let mut out = String::with_capacity(text.len() * 5 / 4);
    html::push_html(&mut out, parser);
    out
}

fn below_the_page(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => H3,
        H2 => H4,
        H3 => H5,
        H4 | H5 | H6 => H6,
    }
}

/// A link's target if it is a web or mail address or relative; otherwise nothing, so a
/// `javascript:` or `data:` link in a document leads nowhere.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| !scheme.contains(['/', '?', '#']));
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_raw_html_as_text() {
        let html = markdown_html("Hello <script>alert(1)</script> **bold** <img src=x onerror=y>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
    }

    #[test]
    fn a_documents_headings_sit_under_the_pages() {
        let html = markdown_html("# Report\n\n## Part\n\n#### Deep");
        assert!(html.contains("<h3>Report</h3>"), "{html}");
        assert!(html.contains("<h4>Part</h4>"), "{html}");
        assert!(html.contains("<h6>Deep</h6>"), "{html}");
        assert!(!html.contains("<h1>") && !html.contains("<h2>"), "{html}");
    }

    #[test]
    fn markdown_links_cannot_run_script() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](data:text/html,x)",
            "![x](vbscript:y)",
        ] {
            let html = markdown_html(link);
            assert!(!html.to_ascii_lowercase().contains("script:"), "{html}");
            assert!(!html.contains("data:"), "{html}");
        }
        assert!(markdown_html("[x](https://un.org/a)").contains("href=\"https://un.org/a\""));
        assert!(markdown_html("[x](/en/reviews)").contains("href=\"/en/reviews\""));
    }

    #[test]
    fn every_text_a_template_names_is_in_the_english_catalogue() {
        let english = crate::i18n::message_ids(crate::i18n::catalogue_source(Lang::En));
        for (name, source) in TEMPLATES {
            // `t("stage-" ~ code)` builds its key: only whole literal keys are checked here
            // (the built ones are the vocabularies, each listed in full in the catalogue).
            let literal = |(key, rest): (&'static str, &'static str)| {
                rest.starts_with([')', ',']).then_some(key)
            };
            for key in source
                .split("t(\"")
                .skip(1)
                .filter_map(|rest| rest.split_once('"'))
                .filter_map(literal)
            {
                assert!(
                    english.contains(&key),
                    "{name} names {key}, which en/site.ftl lacks"
                );
            }
        }
    }

    #[test]
    fn every_template_parses() {
        for (name, _) in TEMPLATES {
            assert!(ENV.get_template(name).is_ok(), "{name} does not parse");
        }
    }
}
