//! iCalendar feeds (RFC 5545) of the reviews' deadlines and sessions, per cycle and per
//! state under review, so that participants and journalists see them in their own
//! calendars: one VEVENT per deadline of a review (at its due instant) and per session
//! (the working group's, the oversight body's), each with a UID stable per review and
//! deadline, so a calendar that subscribes updates the event when the date moves.
//!
//! Written by hand rather than with the `icalendar` crate: the feed is a few properties
//! per event, and what RFC 5545 asks of the text (CRLF line ends, escaped `,;\`, lines
//! folded at 75 octets on character boundaries) is [`fold`] and [`ics_text`].

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use cpr_domain::CycleId;
use cpr_domain::views::{CalendarView, ReviewView};
use cpr_service::{PageRequest, ReviewFilter};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::feeds::{LangQuery, language_and_state, serve};
use crate::i18n::{FluentArg, text};
use crate::lang::Lang;

pub const ICS: &str = "text/calendar; charset=utf-8";

pub fn router() -> Router<Site> {
    Router::new()
        .route("/calendar/cycles/{file}", get(per_cycle))
        .route("/calendar/states/{file}", get(per_state))
}

async fn per_cycle(
    State(site): State<Site>,
    visit: Visit,
    Path(file): Path<String>,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let lang = match query.lang() {
        Ok(lang) => lang,
        Err(e) => return e.page(visit.lang),
    };
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|id| id.parse::<uuid::Uuid>().ok())
        .map(CycleId::from_uuid)
    else {
        return WebError::NotFound.page(visit.lang);
    };
    let cycle = match site.service.cycle(id).await {
        Ok(cycle) => cycle,
        Err(e) => return WebError::from(e).page(visit.lang),
    };
    let name = cycle.cycle.name.as_str().to_owned();
    let filter = ReviewFilter {
        cycle: Some(id),
        state: None,
    };
    calendar(&site, &visit, lang, filter, name).await
}

async fn per_state(
    State(site): State<Site>,
    visit: Visit,
    Path(file): Path<String>,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let (lang, state) = match language_and_state(&site, &query, &file, ".ics").await {
        Ok(found) => found,
        Err(e) => return e.page(visit.lang),
    };
    let code = state.code;
    let name = text(lang, "review-of", &[("state", FluentArg::Text(state.name))]);
    let filter = ReviewFilter {
        cycle: None,
        state: Some(code),
    };
    calendar(&site, &visit, lang, filter, name).await
}

/// One event: a deadline or a session of a review. It has a start and no end: RFC 5545
/// makes such an event end when it starts (a deadline is an instant; how long a session
/// lasts is not on the record).
#[derive(Debug)]
pub(crate) struct Event {
    pub uid: String,
    pub at: OffsetDateTime,
    pub summary: String,
    pub description: String,
    /// The review's page, when the site knows its public address (a URL property
    /// must be absolute).
    pub url: Option<String>,
    /// Due after the review was withdrawn: it will not take place.
    pub cancelled: bool,
}

async fn calendar(
    site: &Site,
    visit: &Visit,
    lang: Lang,
    filter: ReviewFilter,
    name: String,
) -> Response {
    serve(site, visit, ICS, &[], || async {
        let version = site.service.public_record_version().await?;
        let stamp = time::OffsetDateTime::parse(
            &version.changed_at,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let names = site.state_names().await?;
        let mut events = Vec::new();
        let mut page = PageRequest {
            limit: cpr_service::MAX_PAGE,
            after: None,
        };
        loop {
            let reviews = site.service.reviews(filter, &page).await?;
            for listed in &reviews.items {
                let shown = site.service.review(None, listed.listing.id).await?;
                let ReviewView::Public(review) = shown.view else {
                    return Err(WebError::Internal(
                        "an anonymous read gave a non-public view".into(),
                    ));
                };
                let state = review.facts.state.to_string();
                let state_name = names.get(&state).cloned().unwrap_or(state);
                let sessions = Sessions {
                    // When it was to be held (the calendar follows a rescheduling);
                    // when it was marked held is a record, not a date to keep.
                    wg: review.facts.calendar.wg_session,
                    oversight: review
                        .oversight
                        .session_at
                        .or(review.facts.calendar.oversight_session),
                };
                let mut of_review = events_of(
                    lang,
                    &site.base,
                    &review.facts.id.to_string(),
                    &state_name,
                    &review.facts.calendar,
                    &sessions,
                );
                if let Some(withdrawal) = &review.facts.withdrawal {
                    for event in &mut of_review {
                        event.cancelled = event.at > withdrawal.at;
                    }
                }
                events.extend(of_review);
            }
            match reviews.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.uid.cmp(&b.uid)));
        Ok(ics(&name, lang, stamp, &events).into_bytes())
    })
    .await
}

/// When a review's sessions are (held, or planned).
pub(crate) struct Sessions {
    pub wg: OffsetDateTime,
    pub oversight: Option<OffsetDateTime>,
}

/// The events of one review: its six deadlines and its two sessions.
pub(crate) fn events_of(
    lang: Lang,
    base: &str,
    review: &str,
    state_name: &str,
    calendar: &CalendarView,
    sessions: &Sessions,
) -> Vec<Event> {
    let page = format!("{base}/{}/reviews/{review}", lang.code());
    let deadlines = [
        ("state_report", &calendar.state_report),
        ("input_window", &calendar.input_window),
        ("compilation", &calendar.compilation),
        ("advance_questions", &calendar.advance_questions),
        ("wg_report", &calendar.wg_report),
        ("response", &calendar.response),
    ];
    let mut events = Vec::with_capacity(8);
    for (kind, deadline) in deadlines {
        let what = text(lang, &format!("deadline-{kind}"), &[]);
        events.push(Event {
            uid: format!("{review}-deadline-{kind}@cpr"),
            at: deadline.due,
            summary: text(
                lang,
                "calendar-deadline-summary",
                &[
                    ("state", FluentArg::Text(state_name.to_owned())),
                    ("deadline", FluentArg::Text(what)),
                ],
            ),
            description: text(
                lang,
                "calendar-description",
                &[("page", FluentArg::Text(page.clone()))],
            ),
            url: (!base.is_empty()).then(|| page.clone()),
            cancelled: false,
        });
    }
    let session = |key: &str, name: &str, at: OffsetDateTime| Event {
        uid: format!("{review}-session-{name}@cpr"),
        at,
        summary: text(
            lang,
            "calendar-session-summary",
            &[
                ("state", FluentArg::Text(state_name.to_owned())),
                ("session", FluentArg::Text(text(lang, key, &[]))),
            ],
        ),
        description: text(
            lang,
            "calendar-description",
            &[("page", FluentArg::Text(page.clone()))],
        ),
        url: (!base.is_empty()).then(|| page.clone()),
        cancelled: false,
    };
    events.push(session("wg-session", "working_group", sessions.wg));
    if let Some(at) = sessions.oversight {
        events.push(session("oversight-session", "oversight", at));
    }
    events
}

/// An instant as RFC 5545 writes it in UTC (`20270615T090000Z`).
fn ics_time(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default()
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`.
pub(crate) fn ics_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded as RFC 5545 section 3.1 asks: no line longer than 75 octets,
/// each continuation starting with a space, never splitting a UTF-8 character; every
/// line ends with CRLF.
pub(crate) fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line's 75 octets.
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

fn ics(name: &str, lang: Lang, stamp: OffsetDateTime, events: &[Event]) -> String {
    let mut out = String::with_capacity(512 + events.len() * 400);
    let stamp = ics_time(stamp);
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Cyber Peer Review//cpr//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", ics_text(name)),
    ] {
        fold(&line, &mut out);
    }
    for event in events {
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", ics_text(&event.uid)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", ics_time(event.at)),
            format!(
                "SUMMARY;LANGUAGE={}:{}",
                lang.code(),
                ics_text(&event.summary)
            ),
            format!(
                "DESCRIPTION;LANGUAGE={}:{}",
                lang.code(),
                ics_text(&event.description)
            ),
            "TRANSP:TRANSPARENT".to_owned(),
        ] {
            fold(&line, &mut out);
        }
        if let Some(url) = &event.url {
            fold(&format!("URL:{url}"), &mut out);
        }
        if event.cancelled {
            fold("STATUS:CANCELLED", &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(100));
        fold(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        for (i, part) in out.trim_end_matches("\r\n").split("\r\n").enumerate() {
            assert!(part.len() <= 75, "line {i} has {} octets", part.len());
            if i > 0 {
                assert!(part.starts_with(' '));
            }
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn text_values_escape_what_rfc_5545_reserves() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
