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

/// The register-side lists: states, organisations, accounts, tokens, rule sets,
/// accreditations, cycles, the chains of a cycle and of the registers, and the outbox.
/// Each reads in pages that add up to the whole list in its order, refuses a bad limit
/// or cursor with its code, and costs the same number of SQL statements a page whether
/// its table holds a few rows or a hundred and more.
mod register_lists {
    use std::collections::BTreeMap;

    use time::Duration;

    use super::*;

    /// The SQL statements the server counted for a request.
    fn statement_count(answer: &Answer) -> u32 {
        answer
            .header("x-sql-statements")
            .and_then(|v| v.parse().ok())
            .expect("the test server counts statements")
    }

    /// The statements of the first page of `limit` items and of the page after it.
    async fn page_costs(
        app: &TestApp,
        path: &str,
        token: Option<&str>,
        limit: usize,
    ) -> (u32, u32) {
        let separator = if path.contains('?') { '&' } else { '?' };
        let first = app
            .get(&format!("{path}{separator}limit={limit}"), token)
            .await;
        let first_cost = statement_count(&first);
        let first = first.expect(200);
        let next = first["next"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: more than one page"));
        let second = app
            .get(
                &format!("{path}{separator}limit={limit}&cursor={next}"),
                token,
            )
            .await;
        let second_cost = statement_count(&second);
        second.expect(200);
        (first_cost, second_cost)
    }

    /// Checks that a page of `path` costs as many statements at both sizes, and shows them.
    #[track_caller]
    fn same_cost(
        path: &str,
        (small_size, small): (usize, (u32, u32)),
        (large_size, large): (usize, (u32, u32)),
    ) {
        eprintln!(
            "{path}: first page / next page: {} / {} statements with {small_size} items, {} / {} with {large_size}",
            small.0, small.1, large.0, large.1
        );
        assert_eq!(
            small, large,
            "{path}: a page costs the same whatever the size of the list"
        );
    }

    /// The `field` of each item, as text.
    fn texts(items: &[Value], field: &str) -> Vec<String> {
        items
            .iter()
            .map(|item| item[field].as_str().unwrap().to_owned())
            .collect()
    }

    /// The (instant, id) keys of `items`, which must run strictly one way.
    #[track_caller]
    fn strictly_ordered(items: &[Value], at: &str, id: &str, descending: bool) {
        let keys: Vec<(String, String)> =
            texts(items, at).into_iter().zip(texts(items, id)).collect();
        for pair in keys.windows(2) {
            let ok = if descending {
                pair[0] > pair[1]
            } else {
                pair[0] < pair[1]
            };
            assert!(ok, "out of order: {pair:?}");
        }
    }

    #[tokio::test]
    async fn states_and_rule_sets_read_in_pages_by_code_and_by_version() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();

        let states = check_pages(&app, "/api/v1/states", None, 7).await;
        assert_eq!(states.len(), 193);
        let codes = texts(&states, "code");
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]), "by code");
        let before = page_costs(&app, "/api/v1/states", None, 7).await;
        // Sixty more states: 26 sorting before every UN member, 34 after.
        for n in 0..60u8 {
            let code = match n {
                0..26 => format!("AA{}", char::from(b'A' + n)),
                26..52 => format!("ZZ{}", char::from(b'A' + n - 26)),
                _ => format!("XQ{}", char::from(b'A' + n - 52)),
            };
            app.put(
                &format!("/api/v1/states/{code}"),
                &s,
                json!({"name": format!("State {code}"), "regional_group": "african_states"}),
            )
            .await
            .expect(201);
        }
        let states = check_pages(&app, "/api/v1/states", None, 7).await;
        assert_eq!(states.len(), 253);
        let codes = texts(&states, "code");
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]), "by code");
        same_cost(
            "/api/v1/states",
            (193, before),
            (253, page_costs(&app, "/api/v1/states", None, 7).await),
        );

        for n in 0..3 {
            app.post(
                "/api/v1/rule-sets",
                &s,
                json!({"word_limits": {"response": 1000 + n}}),
            )
            .await
            .expect(201);
        }
        let small = page_costs(&app, "/api/v1/rule-sets", None, 2).await;
        for n in 3..40 {
            app.post(
                "/api/v1/rule-sets",
                &s,
                json!({"word_limits": {"response": 1000 + n}}),
            )
            .await
            .expect(201);
        }
        let versions = check_pages(&app, "/api/v1/rule-sets", None, 3).await;
        let versions: Vec<u64> = versions
            .iter()
            .map(|v| v["version"].as_u64().unwrap())
            .collect();
        assert_eq!(versions, (1..=40).collect::<Vec<_>>());
        same_cost(
            "/api/v1/rule-sets",
            (3, small),
            (40, page_costs(&app, "/api/v1/rule-sets", None, 2).await),
        );
    }

    #[tokio::test]
    async fn organisations_and_accounts_read_in_pages_that_cost_the_same_with_3_or_120() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        // The secretariat's organisation and account exist from the start.
        for (n, state) in POOL.iter().enumerate().take(2) {
            app.organisation("oversight", &format!("Bureau {n}")).await;
            app.delegate_account(state).await;
        }
        let organisations = check_pages(&app, "/api/v1/organisations", Some(&s), 2).await;
        let accounts = check_pages(&app, "/api/v1/accounts", Some(&s), 2).await;
        assert_eq!((organisations.len(), accounts.len()), (3, 3));
        let small_organisations = page_costs(&app, "/api/v1/organisations", Some(&s), 2).await;
        let small_accounts = page_costs(&app, "/api/v1/accounts", Some(&s), 2).await;

        // Many share their creation instant (the test clock stands still), so the id
        // settles the order.
        for n in 2..119 {
            if n % 10 == 0 {
                app.advance(Duration::seconds(1));
            }
            app.organisation("oversight", &format!("Bureau {n}")).await;
            app.delegate_account(POOL[n % POOL.len()]).await;
        }
        let organisations = check_pages(&app, "/api/v1/organisations", Some(&s), 7).await;
        let accounts = check_pages(&app, "/api/v1/accounts", Some(&s), 7).await;
        assert_eq!((organisations.len(), accounts.len()), (120, 120));
        strictly_ordered(&organisations, "created_at", "id", false);
        strictly_ordered(&accounts, "created_at", "id", false);
        assert_eq!(organisations[0]["kind"], "secretariat", "oldest first");
        assert_eq!(organisations[119]["name"], "Bureau 118");
        same_cost(
            "/api/v1/organisations",
            (3, small_organisations),
            (
                120,
                page_costs(&app, "/api/v1/organisations", Some(&s), 2).await,
            ),
        );
        same_cost(
            "/api/v1/accounts",
            (3, small_accounts),
            (120, page_costs(&app, "/api/v1/accounts", Some(&s), 2).await),
        );

        // Still the secretariat's alone.
        let delegate = app.delegate(SUR).await;
        for path in ["/api/v1/organisations?limit=2", "/api/v1/accounts?limit=2"] {
            app.get(path, Some(&delegate))
                .await
                .expect_error(403, "secretariat_only");
        }
    }

    #[tokio::test]
    async fn an_account_s_tokens_read_in_pages_for_the_secretariat_and_the_owner() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        let owner = app.delegate_account(SUR).await;
        let path = format!("/api/v1/accounts/{}/tokens", owner.id);
        // The holder issues its own tokens (its first came by its invitation).
        let issue = |label: String| {
            let path = path.clone();
            let holder = owner.token.clone();
            let app = &app;
            async move {
                app.post(&path, &holder, json!({"label": label}))
                    .await
                    .expect(201);
            }
        };
        for n in 0..2 {
            issue(format!("token {n}")).await;
        }
        let small = page_costs(&app, &path, Some(&owner.token), 2).await;
        for n in 2..119 {
            if n % 10 == 0 {
                app.advance(Duration::seconds(1));
            }
            issue(format!("token {n}")).await;
        }
        for token in [&s, &owner.token] {
            let tokens = check_pages(&app, &path, Some(token), 7).await;
            assert_eq!(tokens.len(), 120);
            strictly_ordered(&tokens, "created_at", "id", false);
            assert_eq!(tokens[0]["id"], owner.token_id.as_str(), "oldest first");
            assert!(
                tokens.iter().all(|t| t.get("token").is_none()),
                "never the secret"
            );
        }
        same_cost(
            &path,
            (3, small),
            (120, page_costs(&app, &path, Some(&owner.token), 2).await),
        );

        // Someone else's tokens do not exist for the caller.
        let other = app.delegate(OTHER_STATE).await;
        app.get(&format!("{path}?limit=2"), Some(&other))
            .await
            .expect_error(404, "not_found");
    }

    #[tokio::test]
    async fn accreditations_read_in_pages_with_their_own_objections_and_no_contact_address() {
        let app = spawn_app().await;
        let objector = app.delegate("RUS").await;
        let apply = |n: usize| {
            let app = &app;
            async move {
                app.call(
                    Method::POST,
                    "/api/v1/accreditation/applications",
                    None,
                    Some(json!({"name": format!("NGO {n}"), "stakeholder_kind": "ngo", "contact_email": format!("contact{n}@ngo.example")})),
                )
                .await
                .expect(201)["organisation"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        };
        // Every third applicant is proposed and objected to, with its own reason.
        let object = |organisation: String, n: usize| {
            let app = &app;
            let objector = objector.clone();
            async move {
                app.propose(&organisation, 14).await;
                let path = format!("/api/v1/organisations/{organisation}/accreditation/objections");
                app.post(
                    &path,
                    &objector,
                    json!({"reason": format!("Objection to NGO {n}.")}),
                )
                .await
                .expect(201);
            }
        };
        for n in 0..3 {
            let organisation = apply(n).await;
            if n % 3 == 1 {
                object(organisation, n).await;
            }
        }
        let small = page_costs(&app, "/api/v1/accreditations", None, 2).await;
        for n in 3..120 {
            if n % 10 == 0 {
                app.advance(Duration::seconds(1));
            }
            let organisation = apply(n).await;
            if n % 3 == 1 {
                object(organisation, n).await;
            }
        }
        let all = check_pages(&app, "/api/v1/accreditations", None, 7).await;
        assert_eq!(all.len(), 120);
        strictly_ordered(&all, "applied_at", "organisation", false);
        for (n, record) in all.iter().enumerate() {
            assert_eq!(
                record["name"],
                format!("NGO {n}"),
                "oldest application first"
            );
            let objections = record["objections"].as_array().unwrap();
            if n % 3 == 1 {
                assert_eq!(objections.len(), 1, "NGO {n}");
                assert_eq!(objections[0]["reason"], format!("Objection to NGO {n}."));
            } else {
                assert!(objections.is_empty(), "NGO {n}: {objections:?}");
            }
        }
        // Each item is the public record of its organisation, and no contact address is
        // in any page.
        for record in all.iter().step_by(11) {
            let organisation = record["organisation"].as_str().unwrap();
            let one = app
                .get(&format!("/api/v1/accreditations/{organisation}"), None)
                .await
                .expect(200);
            assert_eq!(&one, record);
        }
        let text = all.iter().map(Value::to_string).collect::<String>();
        assert!(!text.contains("ngo.example") && !text.contains("contact_email"));
        same_cost(
            "/api/v1/accreditations",
            (3, small),
            (
                120,
                page_costs(&app, "/api/v1/accreditations", None, 2).await,
            ),
        );
    }

    #[tokio::test]
    async fn cycles_read_newest_first_in_pages_each_with_its_own_pool() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        let mut opened: BTreeMap<String, Value> = BTreeMap::new();
        let open = |n: usize| {
            let app = &app;
            let s = s.clone();
            async move {
                // Nine start dates for 120 cycles: ties are the rule, not the exception.
                let starts_on = format!("2027-01-{:02}", n % 9 + 1);
                let pool: Vec<&str> = POOL
                    .iter()
                    .copied()
                    .skip(n % POOL.len())
                    .take(n % 5 + 1)
                    .collect();
                app.post(
                    "/api/v1/cycles",
                    &s,
                    json!({"name": format!("cycle {n}"), "starts_on": starts_on, "pool": pool}),
                )
                .await
                .expect(201)
            }
        };
        for n in 0..3 {
            let cycle = open(n).await;
            opened.insert(cycle["id"].as_str().unwrap().to_owned(), cycle);
        }
        let small = page_costs(&app, "/api/v1/cycles", None, 2).await;
        for n in 3..120 {
            let cycle = open(n).await;
            opened.insert(cycle["id"].as_str().unwrap().to_owned(), cycle);
        }
        let all = check_pages(&app, "/api/v1/cycles", None, 7).await;
        assert_eq!(all.len(), 120);
        // Newest first: by start date, then by id, both descending.
        strictly_ordered(&all, "starts_on", "id", true);
        for cycle in &all {
            assert_eq!(
                &opened[cycle["id"].as_str().unwrap()],
                cycle,
                "with its own pool"
            );
        }
        same_cost(
            "/api/v1/cycles",
            (3, small),
            (120, page_costs(&app, "/api/v1/cycles", None, 2).await),
        );
    }

    #[tokio::test]
    async fn the_chains_of_a_cycle_and_of_the_registers_read_in_pages_that_verify() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
        let path = format!("/api/v1/cycles/{cycle}/audit");
        let change_pool = |n: usize| {
            let app = &app;
            let s = s.clone();
            let path = format!("/api/v1/cycles/{cycle}/pool");
            async move {
                app.put(&path, &s, json!({"pool": POOL[..n % 10 + 5].to_vec()}))
                    .await
                    .expect(200);
            }
        };
        for n in 0..2 {
            change_pool(n).await;
        }
        let small_cycle = page_costs(&app, &path, None, 2).await;
        let small_registry = page_costs(&app, "/api/v1/audit/registry", Some(&s), 2).await;
        let registry_before = app.list("/api/v1/audit/registry", Some(&s)).await;
        for n in 2..60 {
            change_pool(n).await;
            app.organisation("oversight", &format!("Bureau {n}")).await;
        }
        let entries = check_pages(&app, &path, None, 7).await;
        assert_eq!(entries.len(), 61, "opened, then 60 changes of the pool");
        let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        assert_eq!(seqs, (1..=61).collect::<Vec<_>>());
        verify_entries(&entries);
        let registry = check_pages(&app, "/api/v1/audit/registry", Some(&s), 7).await;
        assert_eq!(
            registry.len(),
            registry_before.as_array().unwrap().len() + 58
        );
        verify_entries(&registry);
        same_cost(
            &path,
            (3, small_cycle),
            (61, page_costs(&app, &path, None, 2).await),
        );
        same_cost(
            "/api/v1/audit/registry",
            (registry_before.as_array().unwrap().len(), small_registry),
            (
                registry.len(),
                page_costs(&app, "/api/v1/audit/registry", Some(&s), 2).await,
            ),
        );

        // Anyone pages the registers' chain (public payloads only); an unknown cycle
        // has no chain.
        let delegate = app.delegate(SUR).await;
        for viewer in [Some(delegate.as_str()), None] {
            let shown = check_pages(&app, "/api/v1/audit/registry", viewer, 7).await;
            verify_entries(&shown);
        }
        let unknown = app
            .get(
                &format!("/api/v1/cycles/{}/audit?limit=2", uuid::Uuid::now_v7()),
                None,
            )
            .await;
        assert_eq!(
            statement_count(&unknown),
            1,
            "an unknown cycle costs one lookup"
        );
        unknown.expect_error(404, "not_found");
    }

    /// Deletes the invitation mails of the accounts (redeemed already): this test pages
    /// the review's mail, whose numbers it knows.
    async fn forget_invitations(app: &TestApp) {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(app.settings.database_url.as_str())
            .await
            .unwrap();
        db.execute_unprepared("DELETE FROM outbox WHERE kind = 'account_invitation'")
            .await
            .unwrap();
    }

    /// Marks the queued messages to addresses starting with `prefix` dead, as the worker
    /// does after the last attempt.
    async fn bury(app: &TestApp, prefix: &str) {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(app.settings.database_url.as_str())
            .await
            .unwrap();
        db.execute_unprepared(&format!(
            "UPDATE outbox SET status = 'dead' WHERE recipient LIKE '{prefix}%'"
        ))
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn the_outbox_reads_newest_first_in_pages_by_status_and_by_review() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
        app.delegate_account(OTHER_STATE).await;
        app.delegate_account(SUR).await;
        app.delegate_account(SUR).await;
        forget_invitations(&app).await;
        let other = app.open_review(&cycle, OTHER_STATE).await;
        app.advance(Duration::seconds(1));
        let sur = app.open_review(&cycle, SUR).await;
        let three = app.list("/api/v1/outbox", Some(&s)).await;
        assert_eq!(three.as_array().unwrap().len(), 3, "{three:#}");
        let filters = [
            String::new(),
            "?status=queued".to_owned(),
            format!("?review={sur}"),
            format!("?status=queued&review={sur}"),
        ];
        let mut small = Vec::new();
        for filter in &filters {
            let path = format!("/api/v1/outbox{filter}");
            small.push(page_costs(&app, &path, Some(&s), 1).await);
        }

        // 117 copies of the newest message, all created at the same instant (the id
        // orders them), a few of them dead.
        crate::notifications::queue_copies(&app, 117).await;
        bury(&app, "reader1").await;
        let all = check_pages(&app, "/api/v1/outbox", Some(&s), 7).await;
        assert_eq!(all.len(), 120);
        strictly_ordered(&all, "created_at", "id", true);
        assert!(
            all.last().unwrap()["review"] == other.as_str(),
            "the oldest is last"
        );
        let only = |keep: &dyn Fn(&Value) -> bool| -> Vec<Value> {
            all.iter().filter(|m| keep(m)).cloned().collect()
        };
        let cases: Vec<(String, Vec<Value>)> = vec![
            ("?status=queued".into(), only(&|m| m["status"] == "queued")),
            ("?status=dead".into(), only(&|m| m["status"] == "dead")),
            ("?status=sent".into(), Vec::new()),
            (
                format!("?review={sur}"),
                only(&|m| m["review"] == sur.as_str()),
            ),
            (
                format!("?review={other}"),
                only(&|m| m["review"] == other.as_str()),
            ),
            (
                format!("?status=dead&review={sur}"),
                only(&|m| m["status"] == "dead" && m["review"] == sur.as_str()),
            ),
            (format!("?status=dead&review={other}"), Vec::new()),
        ];
        for (filter, expected) in cases {
            let path = format!("/api/v1/outbox{filter}");
            let read = check_pages(&app, &path, Some(&s), 7).await;
            assert_eq!(read, expected, "{filter}: the filtered list, in order");
        }
        assert_eq!(
            only(&|m| m["status"] == "dead").len(),
            1 + 10 + 17,
            "reader1, reader10-19, reader100-116"
        );
        for (filter, small) in filters.iter().zip(small) {
            let path = format!("/api/v1/outbox{filter}");
            let large = page_costs(&app, &path, Some(&s), 1).await;
            same_cost(&path, (3, small), (120, large));
        }

        // Still the secretariat's alone.
        let delegate = app.delegate(SUR).await;
        app.get("/api/v1/outbox?limit=2", Some(&delegate))
            .await
            .expect_error(403, "secretariat_only");
    }

    #[tokio::test]
    async fn a_bad_limit_or_cursor_on_a_register_list_is_refused_with_its_code() {
        let app = spawn_app().await;
        let s = app.secretariat.clone();
        let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
        let account = app.delegate_account(SUR).await;
        app.organisation("oversight", "Bureau").await;
        let lists: Vec<(String, Option<&str>)> = vec![
            ("/api/v1/states".into(), None),
            ("/api/v1/organisations".into(), Some(&s)),
            ("/api/v1/accounts".into(), Some(&s)),
            (format!("/api/v1/accounts/{}/tokens", account.id), Some(&s)),
            ("/api/v1/rule-sets".into(), None),
            ("/api/v1/accreditations".into(), None),
            ("/api/v1/cycles".into(), None),
            (format!("/api/v1/cycles/{cycle}/audit"), None),
            ("/api/v1/audit/registry".into(), Some(&s)),
            ("/api/v1/outbox".into(), Some(&s)),
            ("/api/v1/outbox?status=queued".into(), Some(&s)),
        ];
        // A cursor each of two lists gave out, each of the wrong shape for the other.
        let next = |path: &'static str, token: Option<&str>| {
            let app = &app;
            let token = token.map(str::to_owned);
            async move {
                app.get(&format!("{path}?limit=1"), token.as_deref())
                    .await
                    .expect(200)["next"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        };
        let of_states = next("/api/v1/states", None).await;
        let of_organisations = next("/api/v1/organisations", Some(&s)).await;
        for (path, token) in &lists {
            let separator = if path.contains('?') { '&' } else { '?' };
            let foreign = if path.ends_with("/states") {
                &of_organisations
            } else {
                &of_states
            };
            for (query, code) in [
                ("limit=0".to_owned(), "invalid_limit"),
                ("limit=201".to_owned(), "invalid_limit"),
                ("limit=-1".to_owned(), "invalid_query"),
                ("limit=ten".to_owned(), "invalid_query"),
                ("page=2".to_owned(), "invalid_query"),
                ("cursor=!!".to_owned(), "invalid_cursor"),
                ("cursor=MR8y".to_owned(), "invalid_cursor"),
                ("cursor=YQ".to_owned(), "invalid_cursor"),
                (format!("cursor={foreign}"), "invalid_cursor"),
            ] {
                let answer = app
                    .call(
                        Method::GET,
                        &format!("{path}{separator}{query}"),
                        *token,
                        None,
                    )
                    .await;
                answer.assert_error_shape();
                assert_eq!(
                    (answer.status.as_u16(), answer.code()),
                    (400, code),
                    "{path}{separator}{query}"
                );
            }
        }
        // The largest page is 200, the default 50.
        let states = app.get("/api/v1/states?limit=200", None).await.expect(200);
        assert_eq!(states["items"].as_array().unwrap().len(), 193);
        assert!(states["next"].is_null());
        let states = app.get("/api/v1/states", None).await.expect(200);
        assert_eq!(states["items"].as_array().unwrap().len(), 50);
        assert!(states["next"].is_string());
    }
}
