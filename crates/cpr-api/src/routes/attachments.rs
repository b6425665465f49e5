//! Attachments: upload a PDF (the raw file as the body), and fetch back one's own uploads.
//! Reading the attachments of a document goes through that document, which decides who
//! may see them; [`pdf_response`] is how every route answers with the bytes.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::attachment::{AttachmentRef, FileName, Sha256Hex};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppPath, AppQuery, Auth};
use crate::routes::registry::field;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attachments", post(upload))
        .route("/attachments/{sha256}", get(download))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    filename: Option<String>,
}

/// `POST /attachments?filename=report.pdf` with the PDF as the body: 201 with the
/// reference to put in a document.
async fn upload(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppQuery(query): AppQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<AttachmentRef>)> {
    require_pdf_content_type(&headers)?;
    let filename = query
        .filename
        .map(|name| field("filename", FileName::parse(name)))
        .transpose()?;
    let max = state.service.attachment_max_bytes()?;
    // The JSON body limit is far smaller than a PDF may be, so this route reads its body
    // itself, with the attachment limit; a declared length over it is refused unread.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max) {
        return Err(too_large(max));
    }
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => return Err(too_large(max)),
        Err(_) => {
            return Err(ApiError::bad_request(
                "invalid_body",
                "the request body could not be read",
            ));
        }
    };
    let reference = state
        .service
        .upload_attachment(&caller, filename, bytes)
        .await?;
    Ok((StatusCode::CREATED, Json(reference)))
}

/// `GET /attachments/{sha256}`: the uploader's own file (or any, for the secretariat).
async fn download(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(sha256): AppPath<String>,
) -> ApiResult<Response> {
    let sha256 = field("sha256", Sha256Hex::parse(sha256))?;
    let (reference, bytes) = state.service.uploaded_attachment(&caller, &sha256).await?;
    Ok(pdf_response(&reference, bytes))
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "attachment_too_large",
        format!("an attachment may be at most {max} bytes"),
    )
}

/// Refuses a body not declared as `application/pdf` (parameters allowed). What the body
/// really is gets checked later, from its bytes.
fn require_pdf_content_type(headers: &HeaderMap) -> ApiResult<()> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim());
    match essence {
        Some(essence) if essence.eq_ignore_ascii_case("application/pdf") => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "an attachment is sent as the raw file with Content-Type: application/pdf",
        )),
    }
}

/// The bytes of an attachment as a download: its type, its length, a file name that
/// cannot break out of the header, and `nosniff`, so that a browser saves it as a PDF
/// and never renders it as something else.
pub(crate) fn pdf_response(reference: &AttachmentRef, bytes: Bytes) -> Response {
    let disposition = HeaderValue::from_str(&content_disposition(reference))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let length = HeaderValue::from(bytes.len());
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reference.content_type.as_str()),
    );
    headers.insert(header::CONTENT_LENGTH, length);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Attachments may be private: no shared cache keeps them.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    response
}

/// `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): an ASCII-only quoted
/// fallback and the exact name percent-encoded. The name always ends in `.pdf`, so that
/// a saved file opens as what it is, whatever name it was uploaded under.
fn content_disposition(reference: &AttachmentRef) -> String {
    let mut name = reference.filename.as_ref().map_or_else(
        || reference.sha256.as_str().to_owned(),
        |name| name.as_str().to_owned(),
    );
    if !name.to_ascii_lowercase().ends_with(".pdf") {
        name.push_str(".pdf");
    }
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if !matches!(c, '"' | '\\' | '%') => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use cpr_domain::attachment::{MediaType, sha256_hex};

    use super::*;

    #[track_caller]
    fn check(filename: Option<&str>, expected: &str) {
        let reference = AttachmentRef {
            sha256: sha256_hex(b"x"),
            size: 1,
            filename: filename.map(|n| FileName::parse(n).unwrap()),
            content_type: MediaType::Pdf,
        };
        assert_eq!(content_disposition(&reference), expected);
    }

    #[test]
    fn file_names_are_quoted_so_they_cannot_break_the_header() {
        check(
            Some("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf",
        );
        check(
            Some("a \"quoted\" name; 100%.PDF"),
            "attachment; filename=\"a _quoted_ name; 100_.PDF\"; \
             filename*=UTF-8''a%20%22quoted%22%20name%3B%20100%25.PDF",
        );
        check(
            Some("Rapport été.pdf"),
            "attachment; filename=\"Rapport _t_.pdf\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf",
        );
        check(
            Some("page.html"),
            "attachment; filename=\"page.html.pdf\"; filename*=UTF-8''page.html.pdf",
        );
        let sha = sha256_hex(b"x");
        check(
            None,
            &format!("attachment; filename=\"{sha}.pdf\"; filename*=UTF-8''{sha}.pdf"),
        );
    }
}
