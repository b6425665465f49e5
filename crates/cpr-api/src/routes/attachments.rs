//! Attachments: upload a PDF (the raw file as the body), and fetch back one's own uploads.
//! Reading the attachments of a document goes through that document, which decides who
//! may see them; [`pdf_response`] is how every route answers with the bytes.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::attachment::{AttachmentRef, FileName, Sha256Hex};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppPath, AppQuery, Auth};
use crate::wire::{field, pdf_response};

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
