//! Lists answer in pages: `?limit=` (1 to 200, 50 by default) and the `next` cursor of
//! the answer; the pages of a list, read one after the other, are the whole list, in its
//! order, with nothing repeated or left out.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

/// Reads `path` in pages of `limit` and checks that they add up to the whole list.
pub(crate) async fn check_pages(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    limit: usize,
) -> Vec<Value> {
    let whole = app.list(path, token).await.as_array().unwrap().clone();
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut read = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page_path = match &cursor {
            None => format!("{path}{separator}limit={limit}"),
            Some(next) => format!("{path}{separator}limit={limit}&cursor={next}"),
        };
        let page = app.get(&page_path, token).await.expect(200);
        let items = page["items"].as_array().unwrap();
        assert!(
            items.len() <= limit,
            "{path}: a page holds at most its limit"
        );
        read.extend(items.iter().cloned());
        pages += 1;
        match page["next"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), limit, "{path}: only the last page is short");
                cursor = Some(next.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(
        read, whole,
        "{path}: the pages are the whole list, in order"
    );
    assert_eq!(
        pages,
        whole.len().div_ceil(limit).max(1),
        "{path}: page count"
    );
    whole
}

#[tokio::test]
async fn a_review_chain_reads_in_pages_that_add_up_to_the_whole_chain() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let sur = app.delegate(SUR).await;
    let review = app.open_review(&cycle, SUR).await;
    for n in 0..7 {
        app.put(
            &format!("/api/v1/reviews/{review}/report/draft"),
            &sur,
            json!({"foreign_activity": format!("draft {n}")}),
        )
        .await
        .expect(200);
    }
    let path = format!("/api/v1/reviews/{review}/audit");
    let entries = check_pages(&app, &path, None, 3).await;
    assert_eq!(entries.len(), 8, "opened, then seven drafts");
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
    verify_entries(&entries);
    // The default page holds 50.
    let first = app.get(&path, None).await.expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 8);
    assert!(first["next"].is_null());
}

#[tokio::test]
async fn a_bad_limit_or_cursor_is_refused_with_its_code() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, SUR).await;
    let path = format!("/api/v1/reviews/{review}/audit");
    for (query, code) in [
        ("limit=0", "invalid_limit"),
        ("limit=201", "invalid_limit"),
        ("limit=-1", "invalid_query"),
        ("limit=ten", "invalid_query"),
        ("cursor=!!", "invalid_cursor"),
        // Well-formed, but not a key of this list: two parts where it has one, a word
        // where it has a number.
        ("cursor=MR8y", "invalid_cursor"),
        ("cursor=YQ", "invalid_cursor"),
    ] {
        let answer = app
            .call(Method::GET, &format!("{path}?{query}"), None, None)
            .await;
        answer.assert_error_shape();
        answer.expect_error(400, code);
    }
}
