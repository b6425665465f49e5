//! A small SMTP server on loopback for the tests and the benchmark: a real SMTP dialogue
//! (EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT) over TCP,
//! keeping every message it accepts. It can be stopped (the port then refuses connections) and started
//! again on the same port, told to refuse mail (5xx), to drop the connection in the
//! middle of a message, or to hold every transaction at its start (a slow relay) until
//! released.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// `550` to every `MAIL FROM`.
    Refuse,
    /// Closes the connection after the first line of a message's data.
    DropMidData,
    /// Keeps the message, then closes the connection before acknowledging it: the sender
    /// cannot know it arrived (the ambiguous failure that makes redelivery necessary).
    DropBeforeAck,
}

/// A message as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent, after dot-unstuffing, with CRLF line ends.
    pub data: String,
    /// When the server acknowledged it.
    pub at: std::time::Instant,
}

impl Received {
    /// The value of the first header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(current) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    current.push(' ');
                    current.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID").unwrap_or_default()
    }

    pub fn notice(&self) -> String {
        self.header("X-CPR-Notice").unwrap_or_default()
    }
}

/// What an [`SmtpServer`] received, shared with whoever holds it.
#[derive(Clone)]
pub struct Mailbox {
    shared: Arc<Mutex<Shared>>,
}

impl Mailbox {
    /// The latest message to `recipient` (compared without case), if one arrived.
    pub fn latest_to(&self, recipient: &str) -> Option<String> {
        lock(&self.shared)
            .received
            .iter()
            .rev()
            .find(|mail| {
                mail.rcpt_to
                    .iter()
                    .any(|to| to.eq_ignore_ascii_case(recipient))
            })
            .map(|mail| mail.data.clone())
    }
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    connections: usize,
    /// Sessions waiting at the gate of [`SmtpServer::hold`].
    held: usize,
}

/// The running (or stopped) server.
pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
    /// True while transactions are held at their `MAIL FROM`.
    gate: Arc<tokio::sync::watch::Sender<bool>>,
    accept: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Starts on a free port of 127.0.0.1.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        let mut server = SmtpServer {
            port,
            shared: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
            gate: Arc::new(tokio::sync::watch::Sender::new(false)),
            accept: None,
        };
        server.serve(listener);
        server
    }

    /// Stops listening: connections to the port are refused until [`SmtpServer::resume`].
    pub fn stop(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
    }

    /// Listens again on the same port, keeping what was received.
    pub async fn resume(&mut self) {
        self.stop();
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => break listener,
                Err(error) if tries < 50 => {
                    tries += 1;
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("cannot listen again on {}: {error}", self.port),
            }
        };
        self.serve(listener);
    }

    /// A handle on what the server receives, to read from other tasks.
    pub fn mailbox(&self) -> Mailbox {
        Mailbox {
            shared: self.shared.clone(),
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.mode) = mode;
    }

    /// Holds every transaction at its `MAIL FROM`, unanswered, until [`SmtpServer::release`]:
    /// the sender's messages are in flight and none arrives.
    pub fn hold(&self) {
        self.gate.send_replace(true);
    }

    /// Lets the held transactions (and the later ones) go on.
    pub fn release(&self) {
        self.gate.send_replace(false);
    }

    /// How many transactions are waiting at the gate of [`SmtpServer::hold`].
    pub fn held(&self) -> usize {
        lock(&self.shared).held
    }

    /// Waits (at most a generous minute) until `count` transactions wait at the gate.
    pub async fn wait_for_held(&self, count: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let held = self.held();
            if held >= count {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{held} of {count} transactions held"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every message of the review process accepted so far: the invitations of the
    /// fixtures' accounts (each account's holder gets its first token by mail) are left
    /// out, as they are of [`TestApp::outbox`]; `received_all` has them.
    pub fn received(&self) -> Vec<Received> {
        self.received_all()
            .into_iter()
            .filter(|mail| mail.notice() != "account_invitation")
            .collect()
    }

    /// Every message accepted so far, invitations included.
    pub fn received_all(&self) -> Vec<Received> {
        lock(&self.shared).received.clone()
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        lock(&self.shared).connections
    }

    /// How many messages were accepted so far (cheaper than [`SmtpServer::received`]).
    pub fn count(&self) -> usize {
        lock(&self.shared).received.len()
    }

    /// Waits (at most a generous minute) until at least `count` messages arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        self.wait_for_within(count, Duration::from_secs(60)).await
    }

    /// Waits (at most a generous minute) until at least `count` messages of the review
    /// process arrived: those of [`SmtpServer::received`], invitations left out.
    pub async fn wait_for_received(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {count} messages arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits at most `patience` until at least `count` messages arrived, and panics
    /// after it.
    pub async fn wait_for_within(&self, count: usize, patience: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let arrived = self.count();
            if arrived >= count {
                return self.received();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{arrived} of {count} messages arrived"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn serve(&mut self, listener: TcpListener) {
        let shared = self.shared.clone();
        let mode = self.mode.clone();
        let gate = self.gate.clone();
        self.accept = Some(tokio::spawn(async move {
            let mut sessions = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                lock(&shared).connections += 1;
                let (shared, mode, gate) = (shared.clone(), mode.clone(), gate.subscribe());
                // Sessions end with the accept loop (stop() drops them all).
                sessions.spawn(async move {
                    let _ = session(stream, shared, mode, gate).await;
                });
            }
        }));
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One SMTP session.
async fn session(
    stream: TcpStream,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
    mut gate: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    // Replies go out at once (no Nagle delay waiting for the client's delayed ACK).
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 localhost test SMTP\r\n").await?;
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']);
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 localhost\r\n",
            "MAIL" => {
                if *gate.borrow() {
                    lock(&shared).held += 1;
                    let _ = gate.wait_for(|held| !*held).await;
                    lock(&shared).held -= 1;
                }
                if *lock(&mode) == Mode::Refuse {
                    b"550 5.7.1 mail refused by the test server\r\n"
                } else {
                    mail_from = Some(address_of(command));
                    rcpt_to.clear();
                    b"250 2.1.0 OK\r\n"
                }
            }
            "RCPT" => {
                if mail_from.is_none() {
                    b"503 5.5.1 MAIL first\r\n"
                } else {
                    rcpt_to.push(address_of(command));
                    b"250 2.1.5 OK\r\n"
                }
            }
            "DATA" => {
                if mail_from.is_none() || rcpt_to.is_empty() {
                    b"503 5.5.1 RCPT first\r\n"
                } else {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let drop_mid_data = *lock(&mode) == Mode::DropMidData;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if drop_mid_data {
                            // Hang up in the middle of the message.
                            return Ok(());
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        // Dot-unstuffing (RFC 5321 4.5.2).
                        let text = line.strip_prefix('.').unwrap_or(&line);
                        data.push_str(text);
                    }
                    lock(&shared).received.push(Received {
                        mail_from: mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data,
                        at: std::time::Instant::now(),
                    });
                    if *lock(&mode) == Mode::DropBeforeAck {
                        return Ok(());
                    }
                    b"250 2.0.0 queued\r\n"
                }
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// Locks `mutex`, also after a session panicked while holding it: what it guards (the
/// messages received, the mode) stays meaningful.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The address inside `<...>` of a MAIL FROM or RCPT TO command.
fn address_of(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(start), Some(end)) if start < end => command[start + 1..end].to_owned(),
        _ => String::new(),
    }
}

/// The invitation's secret in a mail: its line of 64 hexadecimal digits.
pub fn secret_in_mail(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|line| {
            line.len() == 64
                && line
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        .map(str::to_owned)
}
