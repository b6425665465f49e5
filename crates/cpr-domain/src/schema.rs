//! OpenAPI schemas of the values whose wire form is not their Rust shape (UUID and
//! string newtypes, closed vocabularies, texts): each says what is actually sent, so
//! that the document the API publishes (derived on the views with `utoipa`, a spec
//! library that does no IO) describes the JSON byte for byte.

use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AllOfBuilder, KnownFormat, ObjectBuilder, Ref, Schema, SchemaFormat, Type,
};

/// A string schema with its description.
pub(crate) fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

/// A UUID, as the ids are sent.
pub(crate) fn uuid(description: &str) -> ObjectBuilder {
    string(description).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
}

/// One of a closed list of codes.
pub(crate) fn codes(description: &str, codes: &[&'static str]) -> ObjectBuilder {
    string(description).enum_values(Some(codes.iter().copied()))
}

/// A struct of two flattened parts, the second an `Option` (absent when `None`): every
/// field of `Always`, and those of `Sometimes`, none of them required. (Derived, the
/// `Option` would read "an object or `null`", which a body without its fields is not.)
pub(crate) fn flattened_with_optional<Always: ToSchema, Sometimes: ToSchema>(
    description: &str,
) -> RefOr<Schema> {
    let sometimes = match Sometimes::schema() {
        RefOr::T(Schema::Object(mut object)) => {
            object.required.clear();
            RefOr::T(Schema::Object(object))
        }
        other => other,
    };
    AllOfBuilder::new()
        .item(Ref::from_schema_name(Always::name()))
        .item(sometimes)
        .description(Some(description))
        .into()
}

/// The components [`flattened_with_optional`] refers to.
pub(crate) fn flattened_with_optional_schemas<Always: ToSchema, Sometimes: ToSchema>(
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    schemas.push((Always::name().into(), Always::schema()));
    Always::schemas(schemas);
    Sometimes::schemas(schemas);
}

/// What a request may send for a value: besides the form the server writes, what its
/// parser also reads (a state code in lower case, a vocabulary's label).
pub trait InputSchema {
    fn input_schema() -> utoipa::openapi::schema::Object;
}

impl InputSchema for crate::StateCode {
    fn input_schema() -> utoipa::openapi::schema::Object {
        string("an ISO 3166-1 alpha-3 code (read in either case)")
            .pattern(Some("^[A-Za-z]{3}$"))
            .build()
    }
}

/// What `text::check` admits: not blank, no control character but tabs and line breaks.
const TEXT_PATTERN: &str = r"^(?!\s*$)[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// A text of at most `max` characters.
pub(crate) fn text(description: &str, max: usize) -> ObjectBuilder {
    string(description)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(TEXT_PATTERN))
}

/// What `WebUrl::parse` admits.
fn web_url() -> ObjectBuilder {
    string("an http or https address")
        .max_length(Some(crate::text::MAX_SHORT_TEXT_CHARS))
        .pattern(Some(
            r"^https?://[^/\s\u0000-\u001F\u007F-\u009F][^\s\u0000-\u001F\u007F-\u009F]*$",
        ))
}

impl InputSchema for crate::ShortText {
    fn input_schema() -> utoipa::openapi::schema::Object {
        text(
            "a short text on one purpose (a name, a reason)",
            crate::text::MAX_SHORT_TEXT_CHARS,
        )
        .build()
    }
}

/// What `FileName::parse` admits: a short text without a path separator, not `.` or `..`.
impl InputSchema for crate::FileName {
    fn input_schema() -> utoipa::openapi::schema::Object {
        string("the file's name, shown when it is downloaded")
            .min_length(Some(1))
            .max_length(Some(crate::attachment::MAX_FILE_NAME_CHARS))
            .pattern(Some(
                r"^(?!\s*$)(?!\s*\.{1,2}\s*$)[^/\\\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
            ))
            .build()
    }
}

impl InputSchema for crate::Text {
    fn input_schema() -> utoipa::openapi::schema::Object {
        text("Markdown text", crate::text::MAX_TEXT_CHARS).build()
    }
}

impl InputSchema for crate::WebUrl {
    fn input_schema() -> utoipa::openapi::schema::Object {
        web_url().build()
    }
}

/// Implements `utoipa::ToSchema` for a type from a schema builder.
macro_rules! schema {
    ($ty:ty, $builder:expr) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $builder.into()
            }
        }

        impl utoipa::ToSchema for $ty {}
    };
}
pub(crate) use schema;

schema!(
    crate::StateCode,
    string("an ISO 3166-1 alpha-3 code, in upper case").pattern(Some("^[A-Z]{3}$"))
);
schema!(
    crate::ShortText,
    text(
        "a short text on one purpose (a name, a reason)",
        crate::text::MAX_SHORT_TEXT_CHARS
    )
);
schema!(crate::WebUrl, web_url());
schema!(
    crate::LanguageTag,
    string("the language a document is written in, a BCP 47 tag (`fr`, `es-419`, `zh-Hans`)")
        .max_length(Some(35))
        .pattern(Some("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"))
);
schema!(
    crate::Sha256Hex,
    string("SHA-256 as 64 lowercase hex digits").pattern(Some("^[0-9a-f]{64}$"))
);
schema!(
    crate::FileName,
    string("the file name an attachment was uploaded under")
);
schema!(
    crate::review::document::Prose,
    text("Markdown text", crate::text::MAX_TEXT_CHARS)
);
schema!(
    crate::review::document::Section,
    string("`foreign_activity`, a norm code (`13a` ... `13k`) or `text`")
        .pattern(Some("^(foreign_activity|text|13[a-k])$"))
);
schema!(
    crate::rules::TimeOfDay,
    string("a time of day, `HH:MM:SS`").pattern(Some("^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"))
);
schema!(
    crate::calendar::Holidays,
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        )
        .unique_items(true)
        .description(Some("dates (`YYYY-MM-DD`) that are not UN working days"))
);
schema!(
    crate::accreditation::ObjectionPeriodDays,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(crate::accreditation::ObjectionPeriodDays::MIN))
        .maximum(Some(crate::accreditation::ObjectionPeriodDays::MAX))
        .description(Some("days of an objection period"))
);
