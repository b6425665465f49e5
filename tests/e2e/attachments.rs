//! Attachments over HTTP: a PDF is uploaded as the raw body, checked by its content,
//! stored once under its SHA-256, and fetched back by its uploader or the secretariat.
//! Every bad upload is a 4xx with a stable code, and leaves nothing stored.

use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Answer, AppOptions, TestApp, spawn_app, spawn_app_configured};

/// A real one-page PDF (checked with `pdfinfo` and `qpdf --check` when it was made).
const SAMPLE_PDF: &[u8] = include_bytes!("../fixtures/sample.pdf");
const HTML: &[u8] = b"<!DOCTYPE html>\n<html><body><h1>Not a report</h1></body></html>\n";

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl TestApp {
    /// Uploads `bytes` with `content_type` (none if `None`) as the holder of `token`.
    async fn upload(
        &self,
        token: Option<&str>,
        query: &str,
        content_type: Option<&str>,
        bytes: &[u8],
    ) -> Answer {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let mut headers = Vec::new();
        if let Some(bearer) = &bearer {
            headers.push(("authorization", bearer.as_str()));
        }
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type));
        }
        self.raw(
            Method::POST,
            &format!("/api/v1/attachments{query}"),
            &headers,
            Some(bytes.to_vec()),
        )
        .await
    }

    async fn upload_pdf(&self, token: &str, filename: &str, bytes: &[u8]) -> Answer {
        self.upload(
            Some(token),
            &format!("?filename={filename}"),
            Some("application/pdf"),
            bytes,
        )
        .await
    }

    /// Where a content is stored under the local root.
    fn stored_path(&self, sha256: &str) -> PathBuf {
        self.attachments_root
            .join("pdf")
            .join(&sha256[..2])
            .join(sha256)
    }

    /// Every file under the attachment root.
    fn stored_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.attachments_root, &mut found);
        found
    }

    /// Whether the store knows of an attachment, behind the API.
    async fn has_attachment_row(&self, sha256: &str) -> bool {
        let sha = cpr_domain::Sha256Hex::parse(sha256).unwrap();
        self.service
            .missing_attachments(std::slice::from_ref(&sha))
            .await
            .unwrap()
            .is_empty()
    }
}

/// A PDF of about `size` bytes: the sample with a comment inserted after its header.
fn large_pdf(size: usize) -> Vec<u8> {
    let header_end = SAMPLE_PDF.iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut bytes = SAMPLE_PDF[..header_end].to_vec();
    for _ in 0..size / 64 {
        bytes.extend_from_slice(&[b'%'; 63]);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&SAMPLE_PDF[header_end..]);
    bytes
}

#[tokio::test]
async fn a_pdf_is_stored_under_its_sha256_and_answered_with_its_reference() {
    let app = spawn_app().await;
    let delegate = app.delegate("DEU").await;
    let reference = app
        .upload_pdf(&delegate, "report.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    let sha = sha256(SAMPLE_PDF);
    assert_eq!(
        reference,
        json!({
            "sha256": sha,
            "size": SAMPLE_PDF.len(),
            "filename": "report.pdf",
            "content_type": "application/pdf",
        })
    );
    assert_eq!(std::fs::read(app.stored_path(&sha)).unwrap(), SAMPLE_PDF);
    assert!(app.has_attachment_row(&sha).await);

    // Without a name the reference has none.
    let unnamed = app
        .upload(Some(&delegate), "", Some("application/pdf"), SAMPLE_PDF)
        .await
        .expect(201);
    assert_eq!(unnamed["filename"], serde_json::Value::Null);
    assert_eq!(unnamed["sha256"], sha);
}

#[tokio::test]
async fn the_same_content_uploaded_twice_is_stored_once_and_keeps_its_first_record() {
    let app = spawn_app().await;
    let first = app.delegate_account("DEU").await;
    let second = app.delegate("FRA").await;
    let a = app
        .upload_pdf(&first.token, "a.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    let again = app
        .upload_pdf(&first.token, "a.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    assert_eq!(again, a);
    // Another account's upload of the same bytes names them as it chose.
    let b = app
        .upload_pdf(&second, "b.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    assert_eq!((&b["sha256"], &b["size"]), (&a["sha256"], &a["size"]));
    assert_eq!(b["filename"], "b.pdf");

    assert_eq!(app.stored_files().len(), 1);
    let sha = cpr_domain::Sha256Hex::parse(sha256(SAMPLE_PDF)).unwrap();
    let (record, bytes) = app.service.attachment(&sha).await.unwrap();
    assert_eq!(record.uploaded_by.to_string(), first.id);
    assert_eq!(record.filename.unwrap().as_str(), "a.pdf");
    assert_eq!(bytes.as_ref(), SAMPLE_PDF);
}

#[tokio::test]
async fn what_is_not_a_pdf_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let delegate = app.delegate("DEU").await;
    let truncated = &SAMPLE_PDF[..SAMPLE_PDF.len() - 20];
    for (what, bytes) in [
        ("html named .pdf", HTML),
        ("empty file", &b""[..]),
        ("truncated pdf", truncated),
    ] {
        let answer = app.upload_pdf(&delegate, "report.pdf", bytes).await;
        answer.assert_error_shape();
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (422, "not_a_pdf"),
            "{what}: {:#}",
            answer.body
        );
        assert!(!app.has_attachment_row(&sha256(bytes)).await, "{what}");
    }
    assert!(app.stored_files().is_empty());

    // A good upload afterwards is untouched by the refusals around it.
    app.upload_pdf(&delegate, "report.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    app.upload_pdf(&delegate, "report.pdf", HTML)
        .await
        .expect_error(422, "not_a_pdf");
    assert_eq!(
        std::fs::read(app.stored_path(&sha256(SAMPLE_PDF))).unwrap(),
        SAMPLE_PDF
    );
    assert_eq!(app.stored_files().len(), 1);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_and_nothing_is_stored() {
    let limit = SAMPLE_PDF.len();
    let app = spawn_app_configured(AppOptions::default(), |settings| {
        settings.attachments.max_bytes = limit as u64
    })
    .await;
    let delegate = app.delegate("DEU").await;
    let mut over = SAMPLE_PDF.to_vec();
    over.push(b'\n');
    let answer = app.upload_pdf(&delegate, "big.pdf", &over).await;
    answer.assert_error_shape();
    answer.expect_error(413, "attachment_too_large");
    assert!(app.stored_files().is_empty());
    assert!(!app.has_attachment_row(&sha256(&over)).await);

    // A body sent in chunks, with no length declared, is cut off at the limit too.
    let (status, body) = post_chunked(&app, &delegate, &over).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"attachment_too_large\""), "{body}");
    assert!(app.stored_files().is_empty());

    // Exactly at the limit is accepted.
    app.upload_pdf(&delegate, "exact.pdf", SAMPLE_PDF)
        .await
        .expect(201);
}

#[tokio::test]
async fn an_attachment_may_be_larger_than_a_json_body() {
    // spawn_app allows 256 KiB of JSON and 20 MiB per attachment.
    let app = spawn_app().await;
    let delegate = app.delegate("DEU").await;
    let pdf = large_pdf(1024 * 1024);
    let reference = app
        .upload_pdf(&delegate, "annex.pdf", &pdf)
        .await
        .expect(201);
    assert_eq!(reference["size"], pdf.len());
    assert_eq!(std::fs::read(app.stored_path(&sha256(&pdf))).unwrap(), pdf);
}

#[tokio::test]
async fn an_upload_is_a_pdf_sent_by_an_authenticated_account() {
    let app = spawn_app().await;
    let delegate = app.delegate("DEU").await;
    for content_type in [None, Some("application/json"), Some("text/html")] {
        let answer = app
            .upload(Some(&delegate), "", content_type, SAMPLE_PDF)
            .await;
        answer.assert_error_shape();
        answer.expect_error(415, "unsupported_media_type");
    }
    let answer = app
        .upload(None, "", Some("application/pdf"), SAMPLE_PDF)
        .await;
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    answer.expect_error(401, "unauthenticated");
    app.upload(Some("cpr_forged"), "", Some("application/pdf"), SAMPLE_PDF)
        .await
        .expect_error(401, "unauthenticated");
    app.upload_pdf(&delegate, "..%2Fescape.pdf", SAMPLE_PDF)
        .await
        .expect_error(400, "invalid_filename");
    app.upload(
        Some(&delegate),
        "?name=x.pdf",
        Some("application/pdf"),
        SAMPLE_PDF,
    )
    .await
    .expect_error(400, "invalid_query");
    assert!(app.stored_files().is_empty());

    // Media-type parameters and case do not matter.
    app.upload(
        Some(&delegate),
        "",
        Some("Application/PDF; name=report.pdf"),
        SAMPLE_PDF,
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn an_upload_is_fetched_back_by_its_uploaders_and_the_secretariat_only() {
    let app = spawn_app().await;
    let uploader = app.delegate("DEU").await;
    let sha = sha256(SAMPLE_PDF);
    app.upload_pdf(&uploader, "Rapport%20%C3%A9t%C3%A9.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    let path = format!("/api/v1/attachments/{sha}");

    let (status, headers, bytes) = app.fetch_bytes(&path, Some(&uploader)).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, SAMPLE_PDF);
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("content-length"), SAMPLE_PDF.len().to_string());
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"Rapport _t_.pdf\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf"
    );

    let (status, _, bytes) = app.fetch_bytes(&path, Some(&app.secretariat)).await;
    assert_eq!((status.as_u16(), bytes.as_slice()), (200, SAMPLE_PDF));

    // To anyone else it does not exist, exactly as an unknown address does not.
    let (_, stakeholder) = app.member_of_new("stakeholder", "Open Net Forum").await;
    for token in [app.delegate("FRA").await, stakeholder] {
        app.get(&path, Some(&token))
            .await
            .expect_error(404, "not_found");
    }
    let unknown = format!("/api/v1/attachments/{}", sha256(b"never uploaded"));
    app.get(&unknown, Some(&uploader))
        .await
        .expect_error(404, "not_found");
    app.get(&unknown, Some(&app.secretariat))
        .await
        .expect_error(404, "not_found");
    app.get(&path, None)
        .await
        .expect_error(401, "unauthenticated");
    app.get(
        &format!("/api/v1/attachments/{}", sha.to_uppercase()),
        Some(&uploader),
    )
    .await
    .expect_error(400, "invalid_sha256");

    // A later uploader of the same bytes fetches them under its own name.
    let other = app.delegate("NOR").await;
    app.upload_pdf(&other, "copy.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    let (status, headers, _) = app.fetch_bytes(&path, Some(&other)).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"copy.pdf\"; filename*=UTF-8''copy.pdf"
    );
}

/// POSTs `bytes` as a chunked body (no Content-Length) over a bare connection, and
/// returns the status and the body of the answer.
async fn post_chunked(app: &TestApp, token: &str, bytes: &[u8]) -> (u16, String) {
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/attachments HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/pdf\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let mut request = head.into_bytes();
    for chunk in bytes.chunks(100) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before reading it all: that is the point.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// An attachment belongs to a document: it is read by whoever may read that document
/// (its authors from the draft on, the public from publication) and by no one else, and a
/// document may only refer to what was uploaded.
#[tokio::test]
async fn a_document_s_attachment_is_read_as_the_document_is() {
    use crate::support::{At, report_body};

    let app = spawn_app().await;
    let mut f = app.review_at(At::StateReport).await;
    let uploaded = app
        .upload_pdf(&f.sur, "annex.pdf", SAMPLE_PDF)
        .await
        .expect(201);
    let sha = uploaded["sha256"].as_str().unwrap().to_owned();

    // A reference to bytes nobody uploaded is refused, and nothing changes.
    let mut body = report_body();
    body["attachments"] = json!(["0".repeat(64)]);
    app.refused(
        &f.review,
        Method::PUT,
        &f.path("/report/draft"),
        Some(&f.sur),
        Some(body),
        422,
        "unknown_attachment",
    )
    .await;

    let mut body = report_body();
    body["attachments"] = json!([sha]);
    app.put(&f.path("/report/draft"), &f.sur, body)
        .await
        .expect(200);
    let download = f.path(&format!("/attachments/{sha}"));
    let (status, headers, bytes) = app.fetch_bytes(&download, Some(&f.sur)).await;
    assert_eq!(status, 200, "the author reads its draft's attachment");
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(bytes, SAMPLE_PDF);
    for reader in [
        None,
        Some(f.other_state.as_str()),
        Some(app.secretariat.as_str()),
    ] {
        let (status, _, _) = app.fetch_bytes(&download, reader).await;
        assert_eq!(status, 404, "a draft's attachment is its author's alone");
    }

    app.act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);
    let (status, _, _) = app.fetch_bytes(&download, Some(&app.secretariat)).await;
    assert_eq!(status, 200, "the secretariat reads a submitted report");
    let (status, _, _) = app.fetch_bytes(&download, None).await;
    assert_eq!(status, 404, "the public waits for publication");

    app.take(&mut f, At::StakeholderInput, At::WorkingGroup)
        .await;
    let (status, headers, bytes) = app.fetch_bytes(&download, None).await;
    assert_eq!(status, 200, "published with the compilation");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(bytes, SAMPLE_PDF);
    let report = app.get(&f.path("/report"), None).await.expect(200);
    assert_eq!(report["body"]["attachments"], json!([sha]));

    let (status, _, _) = app
        .fetch_bytes(&f.path(&format!("/attachments/{}", "a".repeat(64))), None)
        .await;
    assert_eq!(status, 404, "bytes no document refers to are not served");
}
