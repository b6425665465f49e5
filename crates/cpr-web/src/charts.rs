//! Charts of a cycle's yearly report, drawn on the server as SVG: recommendations per
//! norm by answer, the reviews in each stage, inputs per sector and per affected group,
//! and the deadlines met, late and missed. Each has a `<title>` and a `<desc>` that says
//! every number in words (`role="img"`, `aria-labelledby`), and the page shows the same
//! numbers in a table beside it; a chart is inlined in the cycle and home pages and
//! served alone at `/charts/cycles/{id}/{chart}.svg`.
//!
//! Hand-written rather than drawn with `plotters`: these are horizontal bar charts of a
//! few rows, and the page's Content-Security-Policy allows no `style` in the SVG, so
//! every colour and size is a presentation attribute written here; plotters' SVG backend
//! would add a dependency for rectangles and text and give less control over the text
//! alternative. Colours have at least 3:1 contrast against white, text at least 4.5:1,
//! and colour is never the only cue (a legend, the numbers at the end of each bar, and
//! the table).

use std::fmt::Write as _;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use cpr_domain::views::YearlyReport;
use cpr_domain::{AffectedGroup, CycleId, Norm, Sector, Stage};
use minijinja::Value;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::feeds::{LangQuery, serve, xml_escape};
use crate::i18n::text;
use crate::lang::Lang;

pub const SVG: &str = "image/svg+xml";

/// The charts of a cycle, by the name of their address.
pub const CHARTS: [&str; 5] = [
    "recommendations",
    "stages",
    "inputs-sectors",
    "inputs-groups",
    "deadlines",
];

pub fn router() -> Router<Site> {
    Router::new().route("/charts/cycles/{id}/{file}", get(standalone))
}

/// Text darker than any bar, 15:1 on white.
const INK: &str = "#1f2328";
/// Blue, 5.2:1 on white.
const BLUE: &str = "#0969da";
/// Green, 5.1:1.
const GREEN: &str = "#1a7f37";
/// Purple, 5.2:1.
const PURPLE: &str = "#8250df";
/// Grey, 4.6:1.
const GREY: &str = "#6e7781";
/// Dark amber, 4.9:1.
const AMBER: &str = "#9a6700";
/// Red, 5.4:1.
const RED: &str = "#cf222e";

/// A chart: rows of stacked values, one colour per series.
#[derive(Debug)]
pub(crate) struct Chart {
    pub name: &'static str,
    pub title: String,
    /// The header of the rows' column in the table.
    pub row_header: String,
    pub series: Vec<(String, &'static str)>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub(crate) struct Row {
    pub label: String,
    pub values: Vec<u64>,
}

fn series(lang: Lang, keys: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    keys.iter()
        .map(|(key, colour)| (text(lang, key, &[]), *colour))
        .collect()
}

/// The chart `name` of `report` in `lang`, if there is one by that name.
pub(crate) fn chart(lang: Lang, report: &YearlyReport, name: &str) -> Option<Chart> {
    let totals = &report.totals;
    let chart = match name {
        "recommendations" => Chart {
            name: "recommendations",
            title: text(lang, "recommendations-per-norm", &[]),
            row_header: text(lang, "norm", &[]),
            series: series(
                lang,
                &[
                    ("position-supported", GREEN),
                    ("position-noted", PURPLE),
                    ("position-none", GREY),
                ],
            ),
            rows: Norm::ALL
                .iter()
                .map(|norm| {
                    let counts = totals.recommendations.by_norm.get(norm.code());
                    Row {
                        label: norm.code().to_owned(),
                        values: counts
                            .map(|c| vec![c.supported, c.noted, c.unanswered])
                            .unwrap_or_else(|| vec![0, 0, 0]),
                    }
                })
                .collect(),
        },
        "stages" => Chart {
            name: "stages",
            title: text(lang, "chart-stages-title", &[]),
            row_header: text(lang, "chart-stage", &[]),
            series: series(lang, &[("reviews", BLUE)]),
            rows: Stage::ALL
                .iter()
                .map(|stage| Row {
                    label: text(lang, &format!("stage-{}", stage.code()), &[]),
                    values: vec![totals.stages.get(stage.code()).copied().unwrap_or(0)],
                })
                .collect(),
        },
        "inputs-sectors" => Chart {
            name: "inputs-sectors",
            title: text(lang, "chart-inputs-sectors-title", &[]),
            row_header: text(lang, "chart-sector", &[]),
            series: series(lang, &[("stakeholder-inputs", BLUE)]),
            rows: Sector::ALL
                .iter()
                .filter_map(|sector| {
                    let n = totals.inputs.by_sector.get(sector.code()).copied()?;
                    Some(Row {
                        label: text(lang, &format!("sector-{}", sector.code()), &[]),
                        values: vec![n],
                    })
                })
                .collect(),
        },
        "inputs-groups" => Chart {
            name: "inputs-groups",
            title: text(lang, "chart-inputs-groups-title", &[]),
            row_header: text(lang, "chart-affected-group", &[]),
            series: series(lang, &[("stakeholder-inputs", BLUE)]),
            rows: AffectedGroup::ALL
                .iter()
                .filter_map(|group| {
                    let n = totals.inputs.by_affected_group.get(group.code()).copied()?;
                    Some(Row {
                        label: text(lang, &format!("affected-group-{}", group.code()), &[]),
                        values: vec![n],
                    })
                })
                .collect(),
        },
        "deadlines" => Chart {
            name: "deadlines",
            title: text(lang, "deadlines-per-cycle", &[]),
            row_header: text(lang, "deadline", &[]),
            series: series(
                lang,
                &[
                    ("deadline-status-on_time", GREEN),
                    ("deadline-status-late", AMBER),
                    ("deadline-status-missed", RED),
                    ("deadline-status-pending", GREY),
                ],
            ),
            // In the order of the calendar; only the deadlines some review owes.
            rows: cpr_domain::calendar::DeadlineKind::ALL
                .iter()
                .filter_map(|kind| {
                    let c = totals.deadlines.get(kind.code())?;
                    Some(Row {
                        label: text(lang, &format!("deadline-{}", kind.code()), &[]),
                        values: vec![c.on_time, c.late, c.missed, c.pending],
                    })
                })
                .collect(),
        },
        _ => return None,
    };
    Some(chart)
}

/// The text alternative: every row's numbers in words.
fn description(lang: Lang, chart: &Chart) -> String {
    if chart.rows.is_empty() {
        return text(lang, "chart-empty", &[]);
    }
    chart
        .rows
        .iter()
        .map(|row| {
            let values = chart
                .series
                .iter()
                .zip(&row.values)
                .map(|((name, _), n)| format!("{name} {}", lang.number(*n as i64)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {values}", row.label)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const WIDTH: u64 = 640;
const LABELS: u64 = 230;
const BARS: u64 = 330;
const ROW: u64 = 26;
const TOP: u64 = 34;

/// At most `max` characters of `label`, with an ellipsis when cut (the table and each
/// bar's title hold the whole label).
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut cut: String = label.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// The chart as an SVG element; `standalone` adds the XML declaration for its own file.
/// It is laid out left to right in every language (`direction="ltr"`, or the anchors of
/// the labels would flip inside a right-to-left page); each label's own text still runs
/// in its script's direction, and the table beside it follows the page's.
pub(crate) fn svg(lang: Lang, chart: &Chart, standalone: bool) -> String {
    let id = format!("chart-{}", chart.name);
    let rows = chart.rows.len().max(1) as u64;
    let height = TOP + rows * ROW + 10;
    let max = chart
        .rows
        .iter()
        .map(|row| row.values.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = String::with_capacity(2048 + chart.rows.len() * 400);
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"chart\" \
         width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"13\" \
         direction=\"ltr\" xml:lang=\"{}\">",
        lang.code()
    );
    let _ = write!(
        out,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_escape(&chart.title),
        xml_escape(&description(lang, chart))
    );
    let _ = write!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    // The legend, when there is more than one series.
    if chart.series.len() > 1 {
        let mut x = LABELS;
        for (name, colour) in &chart.series {
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
                 <text x=\"{}\" y=\"18\" fill=\"{INK}\">{}</text>",
                x + 16,
                xml_escape(&short(name, 18))
            );
            x += 22 + 8 * short(name, 18).chars().count() as u64;
        }
    }
    if chart.rows.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
            10,
            TOP + 17,
            xml_escape(&text(lang, "chart-empty", &[]))
        );
    }
    for (i, row) in chart.rows.iter().enumerate() {
        let y = TOP + i as u64 * ROW;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            LABELS - 8,
            y + 17,
            xml_escape(&short(&row.label, 30))
        );
        let mut x = LABELS;
        for ((name, colour), value) in chart.series.iter().zip(&row.values) {
            if *value == 0 {
                continue;
            }
            let width = (value * BARS / max).max(2);
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"{colour}\">\
                 <title>{}: {} {}</title></rect>",
                y + 4,
                ROW - 8,
                xml_escape(&row.label),
                xml_escape(name),
                lang.number(*value as i64)
            );
            x += width;
        }
        let total: u64 = row.values.iter().sum();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
            x + 6,
            y + 17,
            lang.number(total as i64)
        );
    }
    out.push_str("</svg>");
    out
}

/// The chart's numbers as an HTML table, for beside it.
pub(crate) fn table(lang: Lang, chart: &Chart) -> String {
    let mut out = String::with_capacity(512 + chart.rows.len() * 200);
    let _ = write!(
        out,
        "<table class=\"chart-table\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        xml_escape(&chart.title),
        xml_escape(&chart.row_header)
    );
    for (name, _) in &chart.series {
        let _ = write!(out, "<th scope=\"col\">{}</th>", xml_escape(name));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &chart.rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", xml_escape(&row.label));
        for value in &row.values {
            let _ = write!(out, "<td>{}</td>", lang.number(*value as i64));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The charts of `report` for a page's context: each name to its inline SVG
/// (`charts.deadlines`), and with its table (`charts.deadlines_table`), as safe HTML
/// (every text in them is escaped here).
pub(crate) fn for_page(lang: Lang, report: &YearlyReport) -> Value {
    let mut map = std::collections::BTreeMap::new();
    for name in CHARTS {
        if let Some(chart) = chart(lang, report, name) {
            let key = name.replace('-', "_");
            // The caption is for the eye; the SVG's own title and description are what
            // a screen reader announces.
            let figure = format!(
                "<figure class=\"chart\"><figcaption aria-hidden=\"true\">{}</figcaption>{}</figure>",
                xml_escape(&chart.title),
                svg(lang, &chart, false)
            );
            map.insert(
                format!("{key}_table"),
                Value::from_safe_string(format!(
                    "<figure class=\"chart\">{}{}</figure>",
                    svg(lang, &chart, false),
                    table(lang, &chart)
                )),
            );
            map.insert(key, Value::from_safe_string(figure));
        }
    }
    Value::from(map)
}

/// `/charts/cycles/{id}/{chart}.svg`: one chart of a cycle's yearly report.
async fn standalone(
    State(site): State<Site>,
    visit: Visit,
    Path((id, file)): Path<(String, String)>,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let lang = match query.lang() {
        Ok(lang) => lang,
        Err(e) => return e.page(visit.lang),
    };
    let Some(id) = id.parse::<uuid::Uuid>().ok().map(CycleId::from_uuid) else {
        return WebError::NotFound.page(visit.lang);
    };
    let Some(name) = file
        .strip_suffix(".svg")
        .filter(|name| CHARTS.contains(name))
        .map(str::to_owned)
    else {
        return WebError::NotFound.page(visit.lang);
    };
    serve(&site, &visit, SVG, &[], || async {
        let report = site.service.yearly_report(id).await?;
        let chart = chart(lang, &report, &name).ok_or(WebError::NotFound)?;
        Ok(svg(lang, &chart, true).into_bytes())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> YearlyReport {
        let mut report = YearlyReport {
            cycle: CycleId::from_uuid(uuid::Uuid::nil()),
            as_of: time::OffsetDateTime::UNIX_EPOCH,
            totals: Default::default(),
            reviews: Vec::new(),
        };
        report.totals.stages.insert("response", 2);
        report.totals.inputs.by_sector.insert("healthcare", 3);
        report
    }

    #[test]
    fn a_chart_says_its_numbers_in_its_text_alternative_and_has_no_style() {
        for name in CHARTS {
            let chart = chart(Lang::En, &report(), name).unwrap();
            let svg = svg(Lang::En, &chart, true);
            assert!(svg.contains("role=\"img\""), "{name}");
            assert!(svg.contains(&format!("aria-labelledby=\"chart-{name}-title")));
            assert!(!svg.contains("style"), "{name}: no style under the CSP");
        }
        let stages = svg(
            Lang::En,
            &chart(Lang::En, &report(), "stages").unwrap(),
            false,
        );
        assert!(stages.contains("Response: Reviews 2"), "{stages}");
        assert!(chart(Lang::En, &report(), "nothing").is_none());
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }
}
