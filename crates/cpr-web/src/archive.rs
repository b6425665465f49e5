//! The bulk download of the whole public record as one dated tar archive
//! (`/open-data/cpr-public-record-YYYY-MM-DD.tar`): every published version of every
//! document (as the public reads it), every recommendation, every working-group draw
//! record and every audit chain (reviews', cycles', pledges' and the registers', as the
//! public reads them), with a `MANIFEST.sha256` that `sha256sum -c` checks and a
//! `README.txt`.
//!
//! Everything in it is read through the same service calls, as the anonymous viewer, as
//! the API and the pages read it: nothing the public may not read can be in it. It is
//! built in memory from paged reads (the service calls are async; hashing and writing
//! the tar run on the blocking pool), one build at a time, and kept in the page cache
//! for the public record's version, so it is built once per change of the record. The tar is plain POSIX ustar,
//! written here: a header block per file and the data padded to 512 bytes.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use cpr_domain::InputId;
use cpr_domain::review::document::DocumentKey;
use cpr_domain::review::reading::RevisionChoice;
use cpr_service::{AuditEntry, PageRequest, PublicFilter, ReviewFilter, ServiceError};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::Date;
use time::macros::format_description;

use crate::Site;
use crate::error::WebError;
use crate::extract::Visit;
use crate::feeds::serve;
use crate::pages::recommendation_json;
use crate::respond;

pub const TAR: &str = "application/x-tar";

/// Held while an archive is built (it walks the whole record; one walk at a time).
static BUILDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn router() -> Router<Site> {
    Router::new()
        .route("/open-data/latest.tar", get(latest))
        .route("/open-data/{file}", get(dated))
}

/// The name of the archive of `date` (`cpr-public-record-2027-07-01`).
pub(crate) fn archive_name(date: Date) -> String {
    let date = date
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    format!("cpr-public-record-{date}")
}

/// `/open-data/latest.tar`: today's archive, by its dated name.
async fn latest(State(site): State<Site>) -> Response {
    let name = archive_name(site.service.now().date());
    respond::redirect(&format!("/open-data/{name}.tar"))
}

/// `/open-data/cpr-public-record-YYYY-MM-DD.tar`: the record as it is today. Only
/// today's name is served: the record of an earlier day is not kept.
async fn dated(State(site): State<Site>, visit: Visit, Path(file): Path<String>) -> Response {
    let name = archive_name(site.service.now().date());
    if file.strip_suffix(".tar") != Some(name.as_str()) {
        return WebError::NotFound.page(visit.lang);
    }
    let disposition = format!("attachment; filename=\"{name}.tar\"");
    serve(
        &site,
        &visit,
        TAR,
        &[(header::CONTENT_DISPOSITION, disposition)],
        || async {
            // One build at a time: a request that waited for another's build finds the
            // archive kept for the version it was built at.
            let _building = BUILDING.lock().await;
            let version = site.service.public_record_version().await?;
            if let Some(kept) = site.cache.get(&visit.key, version.version) {
                return Ok(kept.to_vec());
            }
            build(&site, &name).await
        },
    )
    .await
}

/// A document's key from its name in the listings (`state_report`, `input/{id}`, ...).
pub(crate) fn document_key(name: &str) -> Option<DocumentKey> {
    let input = |id: &str| id.parse::<uuid::Uuid>().ok().map(InputId::from_uuid);
    Some(match name.split_once('/') {
        None => match name {
            "state_report" => DocumentKey::StateReport,
            "compilation" => DocumentKey::Compilation,
            "wg_report" => DocumentKey::WgReport,
            "response" => DocumentKey::Response,
            "outcome" => DocumentKey::Outcome,
            _ => return None,
        },
        Some(("input", id)) => DocumentKey::Input(input(id)?),
        Some(("reply", id)) => DocumentKey::Reply(input(id)?),
        Some(("question", n)) => DocumentKey::Question(n.parse().ok()?),
        Some(("statement", n)) => DocumentKey::Statement(n.parse().ok()?),
        Some(_) => return None,
    })
}

/// An audit entry as the API shows it to the public: the acting account where the
/// payload, which holds it, is shown.
fn entry_json(entry: &AuditEntry) -> Value {
    let mut shown = json!({
        "seq": entry.seq,
        "at": entry.at,
        "kind": entry.kind,
        "actor": entry.actor,
        "stage_before": entry.stage_before,
        "stage_after": entry.stage_after,
        "public": entry.public,
        "payload": entry.payload,
        "payload_digest": entry.payload_digest,
        "hash": entry.hash,
        "log_index": entry.log_index,
    });
    if let (Some(account), Value::Object(fields)) = (entry.account, &mut shown) {
        fields.insert("account".to_owned(), json!(account));
    }
    shown
}

fn first_page() -> PageRequest {
    PageRequest {
        limit: cpr_service::MAX_PAGE,
        after: None,
    }
}

/// Reads every page of a list.
macro_rules! all_pages {
    ($page:ident => $read:expr) => {{
        let mut $page = first_page();
        let mut items = Vec::new();
        loop {
            let got = $read;
            items.extend(got.items);
            match got.next {
                Some(next) => $page.after = Some(next),
                None => break items,
            }
        }
    }};
}

fn pretty(value: &Value) -> Result<Vec<u8>, WebError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| WebError::Internal(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The whole public record as the files of the archive, by path.
pub(crate) async fn files(site: &Site) -> Result<BTreeMap<String, Vec<u8>>, WebError> {
    let service = &site.service;
    let mut files = BTreeMap::new();

    // The cycles and their chains.
    let cycles = all_pages!(page => service.cycles(&page).await?);
    for record in &cycles {
        let id = record.cycle.id;
        let chain = all_pages!(page => service.cycle_audit(id, &page).await?);
        let chain: Vec<Value> = chain.iter().map(entry_json).collect();
        files.insert(format!("cycles/{id}/audit.json"), pretty(&json!(chain))?);
        let report = service.yearly_report(id).await?;
        files.insert(
            format!("cycles/{id}/yearly-report.json"),
            pretty(&serde_json::to_value(&report).map_err(|e| WebError::Internal(e.to_string()))?)?,
        );
    }

    // Each review's chain and draws.
    let reviews = all_pages!(page => service.reviews(ReviewFilter::default(), &page).await?);
    for listed in &reviews {
        let id = listed.listing.id;
        let chain = all_pages!(page => service.review_audit(None, id, &page).await?);
        let chain: Vec<Value> = chain.iter().map(entry_json).collect();
        files.insert(format!("reviews/{id}/audit.json"), pretty(&json!(chain))?);
        let draws = all_pages!(page => service.draws(id, &page).await?);
        files.insert(
            format!("reviews/{id}/draws.json"),
            pretty(&serde_json::to_value(&draws).map_err(|e| WebError::Internal(e.to_string()))?)?,
        );
    }

    // Every published version of every published document.
    let published =
        all_pages!(page => service.published_documents(&PublicFilter::default(), &page).await?);
    for document in &published {
        let key = document_key(&document.document)
            .ok_or_else(|| WebError::Internal(format!("document {}", document.document)))?;
        let current = service
            .document(None, document.review, key, RevisionChoice::default())
            .await?;
        for version in &current.versions {
            let choice = RevisionChoice {
                revision: Some(version.revision),
                draft: false,
            };
            let view = match service.document(None, document.review, key, choice).await {
                Ok(view) => view,
                // A version the public may no longer read is not part of the record.
                Err(ServiceError::Rejected(_) | ServiceError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let view =
                serde_json::to_value(&view).map_err(|e| WebError::Internal(e.to_string()))?;
            files.insert(
                format!(
                    "reviews/{}/documents/{}/revision-{}.json",
                    document.review, document.document, version.revision
                ),
                pretty(&view)?,
            );
        }
    }

    // Every recommendation, with its answer and implementation history.
    let recommendations =
        all_pages!(page => service.recommendations(&PublicFilter::default(), &page).await?);
    let recommendations: Vec<Value> = recommendations.iter().map(recommendation_json).collect();
    files.insert(
        "recommendations.json".to_owned(),
        pretty(&json!(recommendations))?,
    );

    // The pledges' chains (one per state that has made a pledge) and the registers'.
    for code in site.state_names().await?.keys() {
        let Ok(state) = cpr_domain::StateCode::parse(code) else {
            continue;
        };
        let chain = all_pages!(page => service.pledge_audit(state, &page).await?);
        if !chain.is_empty() {
            let chain: Vec<Value> = chain.iter().map(entry_json).collect();
            files.insert(format!("pledges/{code}/audit.json"), pretty(&json!(chain))?);
        }
    }
    let chain = all_pages!(page => service.registry_audit(None, &page).await?);
    let chain: Vec<Value> = chain.iter().map(entry_json).collect();
    files.insert("registry/audit.json".to_owned(), pretty(&json!(chain))?);
    Ok(files)
}

const README: &str = "\
The public record of the Cyber Peer Review
==========================================

This archive holds everything the public may read of the Cyber Peer Review, as its
public website and API show it on the day in its name:

  cycles/<cycle>/audit.json           the cycle's audit chain
  cycles/<cycle>/yearly-report.json   the cycle's yearly report
  reviews/<review>/audit.json         the review's audit chain (public payloads)
  reviews/<review>/draws.json         the records of the working-group draws
  reviews/<review>/documents/<document>/revision-<n>.json
                                      every published version of every document
  recommendations.json                every recommendation, its answer and history
  pledges/<state>/audit.json          the chain of a state's pledges
  registry/audit.json                 the registers' audit chain (public payloads)

MANIFEST.sha256 lists the SHA-256 of every other file. To check them, from the
directory of this file:

  sha256sum -c MANIFEST.sha256

Each audit chain verifies on its own: every entry's hash covers the one before it and
its payload's digest, as the specification's section on verifiability describes.
All times are in UTC.
";

/// The archive: the record's files, the README and the manifest, under one directory.
async fn build(site: &Site, name: &str) -> Result<Vec<u8>, WebError> {
    let version = site.service.public_record_version().await?;
    let mut files = files(site).await?;
    files.insert(
        "README.txt".to_owned(),
        format!(
            "{README}\nVersion {} of the public record, last changed {}.\n",
            version.version, version.changed_at
        )
        .into_bytes(),
    );
    let name = name.to_owned();
    // Hashing and writing the tar is CPU work proportional to the record: off the
    // async workers.
    tokio::task::spawn_blocking(move || assemble(files, &name, mtime_of(&version.changed_at)))
        .await
        .map_err(|e| WebError::Internal(format!("archive: {e}")))?
}

fn mtime_of(changed_at: &str) -> u64 {
    time::OffsetDateTime::parse(changed_at, &time::format_description::well_known::Rfc3339)
        .map(|at| at.unix_timestamp().max(0) as u64)
        .unwrap_or(0)
}

/// The tar of `files` under `name/`, with the manifest of their SHA-256.
fn assemble(
    mut files: BTreeMap<String, Vec<u8>>,
    name: &str,
    mtime: u64,
) -> Result<Vec<u8>, WebError> {
    let mut manifest = String::new();
    for (path, bytes) in &files {
        manifest.push_str(&hex::encode(Sha256::digest(bytes)));
        manifest.push_str("  ");
        manifest.push_str(path);
        manifest.push('\n');
    }
    files.insert("MANIFEST.sha256".to_owned(), manifest.into_bytes());
    let mut tar = Vec::with_capacity(files.values().map(|f| f.len() + 1024).sum::<usize>() + 1024);
    for (path, bytes) in &files {
        append(&mut tar, &format!("{name}/{path}"), bytes, mtime)?;
    }
    // The end of the archive: two blocks of zeros.
    tar.extend_from_slice(&[0u8; 1024]);
    Ok(tar)
}

/// Writes `value` as `width - 1` octal digits and a NUL into `field`.
fn octal(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    let digits = format!("{value:0width$o}");
    field[..width].copy_from_slice(&digits.as_bytes()[digits.len() - width..]);
    field[width] = 0;
}

/// Appends one regular file to a ustar archive. A path longer than the 100 bytes of the
/// name field is split at a `/` into the prefix field (155 bytes) and the name.
fn append(tar: &mut Vec<u8>, path: &str, bytes: &[u8], mtime: u64) -> Result<(), WebError> {
    let mut header = [0u8; 512];
    let (prefix, name) = if path.len() <= 100 {
        ("", path)
    } else {
        path.char_indices()
            .filter(|(_, c)| *c == '/')
            .map(|(i, _)| (&path[..i], &path[i + 1..]))
            .find(|(prefix, name)| prefix.len() <= 155 && name.len() <= 100 && !name.is_empty())
            .ok_or_else(|| WebError::Internal(format!("path too long for ustar: {path}")))?
    };
    header[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut header[100..108], 0o644);
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    if bytes.len() as u64 >= 8u64.pow(11) {
        return Err(WebError::Internal(format!(
            "file too large for ustar: {path}"
        )));
    }
    octal(&mut header[124..136], bytes.len() as u64);
    octal(&mut header[136..148], mtime);
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[265..268].copy_from_slice(b"cpr");
    header[297..300].copy_from_slice(b"cpr");
    header[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    // The checksum is the sum of the header's bytes with its own field as spaces.
    header[148..156].copy_from_slice(b"        ");
    let sum: u64 = header.iter().map(|b| u64::from(*b)).sum();
    let checksum = format!("{sum:06o}\0 ");
    header[148..156].copy_from_slice(checksum.as_bytes());
    tar.extend_from_slice(&header);
    tar.extend_from_slice(bytes);
    let padding = (512 - bytes.len() % 512) % 512;
    tar.extend(std::iter::repeat_n(0u8, padding));
    Ok(())
}

/// The files of a ustar archive, by path (for tests).
#[cfg(test)]
pub(crate) fn read_tar(tar: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at] != 0 {
        let header = &tar[at..at + 512];
        let field = |range: std::ops::Range<usize>| {
            let raw = &header[range];
            let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
            String::from_utf8_lossy(&raw[..end]).into_owned()
        };
        let size = u64::from_str_radix(field(124..136).trim(), 8).unwrap_or(0) as usize;
        let prefix = field(345..500);
        let name = field(0..100);
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        files.push((path, tar[at + 512..at + 512 + size].to_vec()));
        at += 512 + size.div_ceil(512) * 512;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ustar_archive_reads_back_with_long_paths_and_valid_checksums() {
        let long = format!("root/{}/{}/file.json", "a".repeat(80), "b".repeat(60));
        let mut tar = Vec::new();
        append(&mut tar, "root/short.txt", b"hello", 0).unwrap();
        append(&mut tar, &long, &[7u8; 700], 1_700_000_000).unwrap();
        tar.extend_from_slice(&[0u8; 1024]);
        assert_eq!(tar.len() % 512, 0);
        let files = read_tar(&tar);
        assert_eq!(files[0], ("root/short.txt".to_owned(), b"hello".to_vec()));
        assert_eq!(files[1].0, long);
        assert_eq!(files[1].1.len(), 700);
        // The checksum of each header is the sum of its bytes, its own field as spaces.
        for at in [0, 1024] {
            let mut header = tar[at..at + 512].to_vec();
            let stored =
                u64::from_str_radix(std::str::from_utf8(&header[148..154]).unwrap(), 8).unwrap();
            header[148..156].copy_from_slice(b"        ");
            assert_eq!(stored, header.iter().map(|b| u64::from(*b)).sum::<u64>());
        }
    }

    #[test]
    fn document_names_read_back_as_their_keys() {
        for key in [
            DocumentKey::StateReport,
            DocumentKey::Compilation,
            DocumentKey::WgReport,
            DocumentKey::Response,
            DocumentKey::Outcome,
            DocumentKey::Input(InputId::from_uuid(uuid::Uuid::now_v7())),
            DocumentKey::Reply(InputId::from_uuid(uuid::Uuid::now_v7())),
            DocumentKey::Question(3),
            DocumentKey::Statement(2),
        ] {
            assert_eq!(document_key(&key.to_string()), Some(key));
        }
        assert_eq!(document_key("input/nope"), None);
        assert_eq!(document_key("other"), None);
    }
}
