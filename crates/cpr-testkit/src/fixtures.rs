//! The documents of the fixtures (`tests/fixtures`): a realistic state report and a
//! realistic stakeholder input, as texts and as the JSON bodies the API takes.

use serde_json::{Value, json};

/// A realistic state report (the fixture copied from the team's shared documents).
pub const STATE_REPORT: &str = include_str!("../../../tests/fixtures/state-report.md");
/// A realistic joint stakeholder input with non-Latin scripts.
pub const STAKEHOLDER_INPUT: &str = include_str!("../../../tests/fixtures/stakeholder-input.md");

/// The fixture report as the API takes it: its `## ` sections split into the section on
/// foreign cyber activity (with the introduction) and one section per norm.
pub fn report_body() -> Value {
    let mut foreign = String::new();
    let mut norms = serde_json::Map::new();
    let mut current: Option<String> = None;
    let mut text = String::new();
    let mut flush = |current: &Option<String>, text: &mut String| {
        let body = std::mem::take(text);
        match current {
            Some(code) => {
                norms.insert(code.clone(), Value::String(body.trim().to_owned()));
            }
            None => foreign.push_str(&body),
        }
    };
    for line in STATE_REPORT.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            flush(&current, &mut text);
            let code = heading.split_whitespace().next().unwrap_or_default();
            current = (code.len() == 3 && code.starts_with("13")).then(|| code.to_owned());
        }
        text.push_str(line);
        text.push('\n');
    }
    flush(&current, &mut text);
    json!({
        "foreign_activity": foreign.trim(),
        "norms": norms,
        "confidential": "Annex: names of the officials involved (confidential).",
        "contact": "Permanent Mission of France, cyber desk, +41 22 000 00 00",
        "language": "en",
    })
}

/// The fixture input as the API takes it.
pub fn input_body() -> Value {
    json!({
        "text": STAKEHOLDER_INPUT,
        "norms": ["13e", "13f"],
        "sectors": ["healthcare"],
        "groups": ["victims", "journalists"],
        "confidential": "Witness statements, not for publication.",
        "contact": "research@example.org",
    })
}
