//! A small HTTP client for seeding the server through its API: every call states the
//! status it expects, and anything else is an error that names the request (the tool's
//! "wrong answer" failure, which CI catches).

use reqwest::Method;
use serde_json::Value;

use crate::Error;

/// The server's address and a client, cheap to clone into concurrent tasks.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    client: reqwest::Client,
    conflicts: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Where the server's mail arrives: an account's holder reads its invitation there.
    pub mailbox: Option<cpr_testkit::smtp::Mailbox>,
}

/// An answer (its status was checked): its headers and JSON body (`Null` when empty).
pub struct Answer {
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The number of SQL statements the request issued (the `x-sql-statements` header).
    pub fn statements(&self) -> Option<u32> {
        self.headers
            .get("x-sql-statements")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse().ok())
    }

    /// A string field of the body, found by a JSON pointer.
    pub fn text(&self, pointer: &str) -> Result<String, Error> {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::from(format!("no {pointer} in {}", self.body)))
    }
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            client: reqwest::Client::new(),
            conflicts: std::sync::Arc::default(),
            mailbox: None,
        }
    }

    /// The same, with the server's mail arriving in `mailbox`.
    pub fn with_mailbox(mut self, mailbox: cpr_testkit::smtp::Mailbox) -> Api {
        self.mailbox = Some(mailbox);
        self
    }

    /// Sends a request and checks that it answered `expected`. A `409 review_changed`
    /// (another request changed the review first) is retried, as the answer asks a client
    /// to; [`Api::conflicts`] counts the retries.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
        expected: u16,
    ) -> Result<Answer, Error> {
        let mut tries = 0;
        loop {
            let (status, answer) = self
                .once(method.clone(), path, token, body, headers)
                .await?;
            if status.as_u16() == expected {
                return Ok(answer);
            }
            if status.as_u16() == 409
                && answer.body["error"]["code"] == "review_changed"
                && tries < 100
            {
                tries += 1;
                self.conflicts
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
            return Err(format!(
                "{method} {path} answered {status}, expected {expected}: {}",
                answer.body
            )
            .into());
        }
    }

    /// How many `409 review_changed` answers were retried so far.
    pub fn conflicts(&self) -> u64 {
        self.conflicts.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn once(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<(reqwest::StatusCode, Answer), Error> {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|error| format!("{method} {path}: {error}"))?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .map_err(|error| format!("{method} {path}: {error}"))?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, Answer { headers, body }))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Result<Answer, Error> {
        self.call(Method::GET, path, token, None, &[], 200).await
    }

    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        expected: u16,
    ) -> Result<Answer, Error> {
        self.call(Method::POST, path, Some(token), Some(body), &[], expected)
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Result<Answer, Error> {
        self.call(Method::PUT, path, Some(token), Some(body), &[], 200)
            .await
    }

    /// A POST without a body, for commands that carry no data.
    pub async fn act(&self, path: &str, token: &str) -> Result<Answer, Error> {
        self.call(Method::POST, path, Some(token), None, &[], 200)
            .await
    }
}

/// Runs `jobs` with at most `concurrency` of them at once, in order of completion, and
/// returns their results in the order given.
pub async fn concurrently<T, F>(jobs: Vec<F>, concurrency: usize) -> Result<Vec<T>, Error>
where
    F: std::future::Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let total = jobs.len();
    let mut results: Vec<Option<T>> = (0..total).map(|_| None).collect();
    let mut running = tokio::task::JoinSet::new();
    let mut pending = jobs.into_iter().enumerate();
    loop {
        while running.len() < concurrency.max(1) {
            let Some((index, job)) = pending.next() else {
                break;
            };
            running.spawn(async move { (index, job.await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (index, result) = done.map_err(|error| format!("a seeding task failed: {error}"))?;
        results[index] = Some(result?);
    }
    Ok(results.into_iter().flatten().collect())
}
