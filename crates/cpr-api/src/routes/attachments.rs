//! Attachments: upload a PDF (the raw file as the body), and fetch back one's own uploads.
//! Reading the attachments of a document goes through that document, which decides who
//! may see them; [`pdf_response`] is how every route answers with the bytes.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use cpr_domain::attachment::{AttachmentRef, FileName, Sha256Hex};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppPath, AppQuery, Auth};
use crate::openapi::Pdf;
use crate::wire::{field, pdf_response};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(download))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    /// The file's name, shown when it is downloaded.
    #[param(schema_with = crate::openapi::codes::file_name)]
    filename: Option<String>,
}

/// `POST /attachments?filename=report.pdf` with the PDF as the body: 201 with the
/// reference to put in a document.
#[utoipa::path(post, operation_id = "upload_attachment", path = "/attachments", tag = "attachments", params(UploadQuery), request_body(content = Pdf, content_type = "application/pdf", description = "the PDF itself"), responses((status = 201, description = "the reference to put in a document", body = AttachmentRef)), security(("bearer" = [])))]
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
#[utoipa::path(get, operation_id = "download_attachment", path = "/attachments/{sha256}", tag = "attachments", params(("sha256" = String, Path, description = "the file's SHA-256, 64 lowercase hex digits", pattern = "^[0-9a-f]{64}$")), responses((status = 200, description = "the PDF", content_type = "application/pdf", body = Pdf, headers(("Content-Disposition" = String, description = "`attachment` with the file name")))), security(("bearer" = [])))]
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
