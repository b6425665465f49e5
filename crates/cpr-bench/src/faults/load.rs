//! The load of the fault tests: writers taking reviews through their report (drafts,
//! then the submission: a transition that mails), then stakeholders creating and filing
//! inputs in the reviews that moved on (filings), and a subscriber whose every request
//! commits a confirmation mail. Every write is logged with whether it was acknowledged
//! (2xx), so that the checks afterwards can tell "every 2xx is present" from "an error
//! may or may not have been applied, but wholly".

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Error;
use crate::api::Api;
use crate::seed;
use cpr_testkit::fixtures::{input_body, report_body};

/// The seeded record the load works on.
#[derive(Clone)]
pub struct Fixture {
    /// Each review with its state and its delegate's token.
    pub reviews: Vec<(String, String, String)>,
    pub stakeholders: Vec<String>,
}

/// Seeds `states` reviews (with a delegate each) and `stakeholders` accredited
/// stakeholders through `api` (whose mailbox receives the invitations).
pub async fn seed_fixture(
    api: &Api,
    secretariat: &str,
    states: usize,
    stakeholders: usize,
    tag: &str,
) -> Result<Fixture, Error> {
    let codes = seed::state_codes(api).await?;
    let pool: Vec<String> = codes.into_iter().take(states.max(1)).collect();
    let delegates = seed::delegates(api, secretariat, &pool).await?;
    let stakeholders = seed::stakeholders(api, secretariat, stakeholders, tag).await?;
    let cycle = seed::open_cycle(api, secretariat, &format!("Faults {tag}"), &pool).await?;
    // Deadlines far ahead: nothing moves on its own while the load runs.
    let calendar = seed::Calendar::ahead(6 * 3_600, 6 * 3_600)?;
    let reviews = seed::open_reviews(api, secretariat, &cycle, &pool, &calendar).await?;
    Ok(Fixture {
        reviews: reviews
            .into_iter()
            .zip(pool)
            .zip(delegates)
            .map(|((review, state), token)| (review, state, token))
            .collect(),
        stakeholders,
    })
}

/// An answer, or why there was none.
#[derive(Clone, Debug)]
pub struct Reply {
    /// `None`: no answer (refused, reset, timed out).
    pub status: Option<u16>,
    pub code: Option<String>,
    pub retry_after: bool,
    pub body: Value,
    pub error: Option<String>,
    pub latency: Duration,
    pub sent_at: Instant,
}

impl Reply {
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One HTTP request with a bounded wait.
pub async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let sent_at = Instant::now();
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let result = async {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let retry_after = response.headers().contains_key("retry-after");
        let text = response.text().await?;
        Ok::<_, reqwest::Error>((status, retry_after, text))
    }
    .await;
    match result {
        Ok((status, retry_after, text)) => {
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
            Reply {
                status: Some(status),
                code: body["error"]["code"].as_str().map(str::to_owned),
                retry_after,
                body,
                error: None,
                latency: sent_at.elapsed(),
                sent_at,
            }
        }
        Err(error) => Reply {
            status: None,
            code: None,
            retry_after: false,
            body: Value::Null,
            error: Some(error.to_string()),
            latency: sent_at.elapsed(),
            sent_at,
        },
    }
}

/// What kind of write an entry of the log was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Draft,
    Submission,
    InputCreated,
    Filing,
    Subscription,
}

/// A write, as the client saw it.
#[derive(Clone, Debug)]
pub struct Write {
    pub kind: Kind,
    /// The review (its id), or the subscriber's address.
    pub target: String,
    /// The input of a filing.
    pub input: Option<String>,
    pub acknowledged: bool,
}

/// Everything the load saw.
#[derive(Default)]
pub struct Journal {
    pub writes: Vec<Write>,
    /// Answers by status ("none" when there was no answer).
    pub statuses: BTreeMap<String, u64>,
    /// Answers other than 2xx and the expected 4xx of a retried command, for the report.
    pub unexpected: Vec<String>,
    pub answers_500: Vec<String>,
    /// Every answer in order, for the outage's timeline.
    pub replies: Vec<Timed>,
}

/// An answer on the timeline: when it was sent, how long it took, what it was.
#[derive(Clone, Debug)]
pub struct Timed {
    pub what: String,
    pub sent_at: Instant,
    pub latency: Duration,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub retry_after: bool,
    pub write: bool,
    /// Why there was no answer.
    pub error: Option<String>,
}

#[derive(Clone)]
pub struct Load {
    pub bases: Vec<String>,
    client: reqwest::Client,
    next_base: Arc<AtomicUsize>,
    pub journal: Arc<Mutex<Journal>>,
    pub stop: Arc<AtomicBool>,
    next_review: Arc<AtomicUsize>,
    /// Reviews whose report is in (acknowledged, or refused after an unanswered try):
    /// the ones open to filings.
    submitted: Arc<Mutex<Vec<String>>>,
    /// The next (review, stakeholder) pair to file an input.
    next_pair: Arc<AtomicUsize>,
    pub fixture: Arc<Fixture>,
    drafts_per_review: usize,
    run: String,
}

impl Load {
    pub fn new(
        bases: Vec<String>,
        fixture: Fixture,
        drafts_per_review: usize,
        timeout: Duration,
    ) -> Result<Load, Error> {
        Ok(Load {
            bases,
            client: reqwest::Client::builder().timeout(timeout).build()?,
            next_base: Arc::default(),
            journal: Arc::default(),
            stop: Arc::default(),
            next_review: Arc::default(),
            submitted: Arc::default(),
            next_pair: Arc::default(),
            fixture: Arc::new(fixture),
            drafts_per_review,
            run: uuid::Uuid::new_v4().simple().to_string()[..8].to_owned(),
        })
    }

    fn journal(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A request to the next instance (round robin), logged by status.
    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let n = self.next_base.fetch_add(1, Ordering::Relaxed);
        let base = &self.bases[n % self.bases.len()];
        let reply = send(
            &self.client,
            method.clone(),
            &format!("{base}{path}"),
            token,
            body,
        )
        .await;
        let mut journal = self.journal();
        let key = reply.status.map_or("none".to_owned(), |s| s.to_string());
        *journal.statuses.entry(key).or_default() += 1;
        journal.replies.push(Timed {
            what: format!("{method} {path}"),
            sent_at: reply.sent_at,
            latency: reply.latency,
            status: reply.status,
            code: reply.code.clone(),
            retry_after: reply.retry_after,
            write: method != reqwest::Method::GET,
            error: reply.error.clone(),
        });
        if reply.status == Some(500) {
            journal
                .answers_500
                .push(format!("{method} {path}: {}", reply.body));
        }
        drop(journal);
        reply
    }

    fn log(&self, kind: Kind, target: &str, input: Option<&str>, acknowledged: bool) {
        self.journal().writes.push(Write {
            kind,
            target: target.to_owned(),
            input: input.map(str::to_owned),
            acknowledged,
        });
    }

    fn unexpected(&self, what: String) {
        self.journal().unexpected.push(what);
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// A pause after a failed request: the server may be restarting.
    async fn backoff() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// Sends a command until it is acknowledged, logging each attempt; a 4xx after an
    /// unanswered attempt ends it (the earlier attempt may have been applied: the
    /// checks decide). Returns whether it was acknowledged.
    async fn command(
        &self,
        kind: Kind,
        path: &str,
        token: &str,
        target: &str,
        input: Option<&str>,
    ) -> bool {
        let mut failed_before = false;
        while !self.stopped() {
            let reply = self
                .request(reqwest::Method::POST, path, Some(token), None)
                .await;
            if reply.ok() {
                self.log(kind, target, input, true);
                return true;
            }
            match reply.status {
                Some(409) if reply.code.as_deref() == Some("review_changed") => continue,
                Some(status) if (400..500).contains(&status) && status != 429 => {
                    if !failed_before {
                        self.unexpected(format!("POST {path}: {status} {}", reply.body));
                    }
                    return false;
                }
                _ => {
                    self.log(kind, target, input, false);
                    failed_before = true;
                    Self::backoff().await;
                }
            }
        }
        false
    }

    /// One writer: reviews from the shared queue, then filings for ever (until stopped).
    pub async fn writer(self) {
        let fixture = self.fixture.clone();
        while !self.stopped() {
            let n = self.next_review.fetch_add(1, Ordering::Relaxed);
            if let Some((review, _, token)) = fixture.reviews.get(n) {
                let mut d = 0;
                while d < self.drafts_per_review {
                    if self.stopped() {
                        return;
                    }
                    // The last draft is a whole report (it must be, to be submitted); the
                    // ones before are small and each different.
                    let body = if d + 1 == self.drafts_per_review {
                        report_body()
                    } else {
                        seed::small_draft(&format!("{review} {d}"))
                    };
                    let reply = self
                        .request(
                            reqwest::Method::PUT,
                            &format!("/api/v1/reviews/{review}/report/draft"),
                            Some(token),
                            Some(&body),
                        )
                        .await;
                    if !reply.ok() {
                        if let Some(status) = reply.status
                            && (400..500).contains(&status)
                            && reply.code.as_deref() != Some("review_changed")
                        {
                            self.unexpected(format!(
                                "PUT draft of {review}: {status} {}",
                                reply.body
                            ));
                        }
                        Self::backoff().await;
                    }
                    self.log(Kind::Draft, review, None, reply.ok());
                    // The whole report is sent again until it is in.
                    if reply.ok() || d + 1 < self.drafts_per_review {
                        d += 1;
                    }
                }
                self.command(
                    Kind::Submission,
                    &format!("/api/v1/reviews/{review}/report/submission"),
                    token,
                    review,
                    None,
                )
                .await;
                self.submitted
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(review.clone());
                continue;
            }
            // Every review is taken: each stakeholder files one input (the most an
            // organisation may lead) in each review whose report is in.
            let pair = self.next_pair.fetch_add(1, Ordering::Relaxed);
            let reviews = fixture.reviews.len();
            if pair >= reviews * fixture.stakeholders.len() {
                return;
            }
            let review = &fixture.reviews[pair % reviews].0;
            let token = &fixture.stakeholders[pair / reviews];
            while !self.stopped() && !self.is_submitted(review) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let path = format!("/api/v1/reviews/{review}/inputs");
            let mut failed_before = false;
            let input = loop {
                if self.stopped() {
                    return;
                }
                let reply = self
                    .request(
                        reqwest::Method::POST,
                        &path,
                        Some(token),
                        Some(&input_body()),
                    )
                    .await;
                if let Some(input) = reply.body["created_input"].as_str().filter(|_| reply.ok()) {
                    self.log(Kind::InputCreated, review, Some(input), true);
                    break Some(input.to_owned());
                }
                match reply.status {
                    Some(409) if reply.code.as_deref() == Some("review_changed") => {}
                    // The unanswered try before created it: whole, and this pair is done.
                    Some(422)
                        if failed_before
                            && reply.code.as_deref() == Some("input_already_filed") =>
                    {
                        break None;
                    }
                    Some(status) if (400..500).contains(&status) && status != 429 => {
                        self.unexpected(format!("POST input in {review}: {status} {}", reply.body));
                        break None;
                    }
                    _ => {
                        self.log(Kind::InputCreated, review, None, false);
                        failed_before = true;
                        Self::backoff().await;
                    }
                }
            };
            let Some(input) = input else {
                continue;
            };
            self.command(
                Kind::Filing,
                &format!("/api/v1/reviews/{review}/inputs/{input}/filing"),
                token,
                review,
                Some(&input),
            )
            .await;
        }
    }

    fn is_submitted(&self, review: &str) -> bool {
        self.submitted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|r| r == review)
    }

    /// The subscriber: one subscription after another, each to a new address.
    pub async fn subscriber(self, pace: Duration) {
        let mut n = 0;
        while !self.stopped() {
            let (_, state, _) = &self.fixture.reviews[n % self.fixture.reviews.len()];
            let email = format!("reader{n}.{}@readers.example", self.run);
            let reply = self
                .request(
                    reqwest::Method::POST,
                    "/api/v1/subscriptions",
                    None,
                    Some(&json!({"state": state, "email": email})),
                )
                .await;
            if let Some(status) = reply.status
                && (400..500).contains(&status)
                && status != 429
            {
                self.unexpected(format!("POST subscription: {status} {}", reply.body));
            }
            self.log(Kind::Subscription, &email, None, reply.ok());
            n += 1;
            if !reply.ok() {
                Self::backoff().await;
            }
            tokio::time::sleep(pace).await;
        }
    }

    /// Starts `writers` writers and a subscriber.
    pub fn start(&self, writers: usize, pace: Duration) -> tokio::task::JoinSet<()> {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..writers {
            tasks.spawn(self.clone().writer());
        }
        tasks.spawn(self.clone().subscriber(pace));
        tasks
    }

    /// Acknowledged writes of each kind.
    pub fn acknowledged(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for write in &self.journal().writes {
            let key = format!("{:?}", write.kind);
            let entry: &mut u64 = counts.entry(key).or_default();
            if write.acknowledged {
                *entry += 1;
            }
        }
        counts
    }
}
