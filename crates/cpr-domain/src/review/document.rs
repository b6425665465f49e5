//! The bodies of a review's documents and who may read which part of them.
//!
//! A body is stored in full beside the review (one row per revision); the review itself
//! and the audit trail only hold its digest. Inside a body, texts are [`Prose`], which
//! serialises in full; an event carries a body [`Sealed`], which serialises as the digest,
//! so that no event payload can ever hold a document's text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::attachment::Sha256Hex;
use crate::verify::{canonical_json, h};
use crate::{
    AffectedGroup, InputId, LanguageTag, Norm, PledgeId, PositionKind, ReviewId, Sector, ShortText,
    StateCode, Text, TextDigest, ValueError,
};

/// A text inside a document body: stored and shown in full (unlike [`Text`], which an
/// event payload would reduce to its digest).
#[derive(Clone, PartialEq, Eq)]
pub struct Prose(Text);

impl Prose {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        Text::parse(text).map(Self)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn words(&self) -> u32 {
        self.0.words()
    }

    /// The first `max_words` words, for a compilation point that cites its input.
    pub fn excerpt(&self, max_words: usize) -> String {
        let mut words = self.as_str().split_whitespace();
        let taken: Vec<&str> = words.by_ref().take(max_words).collect();
        let mut excerpt = taken.join(" ");
        if words.next().is_some() {
            excerpt.push_str(" …");
        }
        excerpt
    }
}

impl TryFrom<String> for Prose {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Text> for Prose {
    fn from(text: Text) -> Self {
        Self(text)
    }
}

impl Serialize for Prose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Debug for Prose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Prose({} words)", self.words())
    }
}

/// A named part of a document that the secretariat may redact before publication:
/// `foreign_activity`, a norm code (`13a`...) or `text` (an input's text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub enum Section {
    /// The report's section on the state's foreign cyber activity.
    ForeignActivity,
    /// The report's section on one norm.
    Norm(Norm),
    /// The text of a stakeholder input.
    Text,
}

impl TryFrom<String> for Section {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "foreign_activity" => Ok(Section::ForeignActivity),
            "text" => Ok(Section::Text),
            other => other
                .parse::<Norm>()
                .map(Section::Norm)
                .map_err(|_| ValueError::Section(other.to_owned())),
        }
    }
}

impl From<Section> for String {
    fn from(section: Section) -> Self {
        section.code().to_owned()
    }
}

impl Section {
    pub fn code(self) -> &'static str {
        match self {
            Section::ForeignActivity => "foreign_activity",
            Section::Norm(norm) => norm.code(),
            Section::Text => "text",
        }
    }
}

/// A state report: a section on foreign cyber activity and one per GGE norm. Drafts may
/// leave sections out; the report is submitted with all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_activity: Option<Prose>,
    #[serde(default)]
    pub norms: BTreeMap<Norm, Prose>,
    /// Seen by the working group and the secretariat only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidential: Option<Prose>,
    /// Never published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ShortText>,
    #[serde(default)]
    pub attachments: Vec<Sha256Hex>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

impl ReportBody {
    /// Every section a submitted report must have.
    pub fn required_sections() -> Vec<Section> {
        std::iter::once(Section::ForeignActivity)
            .chain(Norm::ALL.iter().copied().map(Section::Norm))
            .collect()
    }

    pub fn sections(&self) -> BTreeSet<Section> {
        let mut sections: BTreeSet<Section> =
            self.norms.keys().copied().map(Section::Norm).collect();
        if self.foreign_activity.is_some() {
            sections.insert(Section::ForeignActivity);
        }
        sections
    }

    pub fn missing_sections(&self) -> Vec<Section> {
        let present = self.sections();
        Self::required_sections()
            .into_iter()
            .filter(|section| !present.contains(section))
            .collect()
    }

    /// Words counted against the limit: every section and the confidential part (the
    /// contact line is not part of the report).
    pub fn words(&self) -> u32 {
        let sections = self.foreign_activity.iter().chain(self.norms.values());
        sections
            .chain(self.confidential.iter())
            .map(Prose::words)
            .sum()
    }
}

/// A stakeholder input: its text, the norms it concerns, the sectors and the people
/// harmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InputBody {
    pub text: Prose,
    #[serde(default)]
    pub norms: BTreeSet<Norm>,
    #[serde(default)]
    pub sectors: BTreeSet<Sector>,
    // Left out when empty, so that bodies stored before groups existed serialise, and
    // hash, as they did.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub groups: BTreeSet<AffectedGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidential: Option<Prose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ShortText>,
    #[serde(default)]
    pub attachments: Vec<Sha256Hex>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

impl InputBody {
    pub fn words(&self) -> u32 {
        self.text.words() + self.confidential.as_ref().map_or(0, Prose::words)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompilationBody {
    pub text: Prose,
    #[serde(default)]
    pub attachments: Vec<Sha256Hex>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

/// A recommendation of an earlier review: review and number.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct RecommendationRef {
    pub review: ReviewId,
    pub number: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationDraft {
    pub text: Prose,
    pub norms: BTreeSet<Norm>,
    /// The working-group state that proposed it.
    pub proposed_by: StateCode,
    // Left out when empty: bodies from before serialise, and hash, as they did.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub sectors: BTreeSet<Sector>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub groups: BTreeSet<AffectedGroup>,
    /// The pledges of the state under review this recommendation cites.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pledges: BTreeSet<PledgeId>,
}

/// The working group's report: findings and recommendations, numbered from 1 in order,
/// and the earlier recommendations it finds implemented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WgReportBody {
    pub findings: Prose,
    #[serde(default)]
    pub recommendations: Vec<RecommendationDraft>,
    #[serde(default)]
    pub implemented: BTreeSet<RecommendationRef>,
    /// The pledges of the state under review the findings cite ("pledge <id>"). Left out
    /// when empty, so reports from before hash as they did.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pledges: BTreeSet<PledgeId>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Supported,
    Noted,
}

impl Position {
    pub const fn code(self) -> &'static str {
        match self {
            Position::Supported => "supported",
            Position::Noted => "noted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Position::Supported, Position::Noted]
            .into_iter()
            .find(|position| position.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub recommendation: u32,
    pub position: Position,
    pub explanation: Prose,
}

/// The state's response: an answer per recommendation and general comments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general: Option<Prose>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

impl ResponseBody {
    pub fn words(&self) -> u32 {
        let explanations: u32 = self.answers.iter().map(|a| a.explanation.words()).sum();
        explanations + self.general.as_ref().map_or(0, Prose::words)
    }

    pub fn positions(&self) -> BTreeMap<u32, Position> {
        self.answers
            .iter()
            .map(|answer| (answer.recommendation, answer.position))
            .collect()
    }
}

/// What a state says of an outcome adopted by consensus: an explanation of its position
/// or its dissociation, published with the outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatePosition {
    pub state: StateCode,
    pub kind: PositionKind,
    pub text: Prose,
}

/// The outcome the oversight body adopts: its text, whether by consensus (as the spec
/// has it, and the default), and the states' explanations of position and
/// dissociations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    pub text: Prose,
    // Adoption by consensus, the rule, is written only when it did not happen; no
    // positions, nothing written: an outcome stored before either existed serialises,
    // and hashes, as it did.
    #[serde(default = "by_consensus", skip_serializing_if = "is_true")]
    pub consensus: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<StatePosition>,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

fn by_consensus() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

impl OutcomeBody {
    pub fn words(&self) -> u32 {
        self.text.words() + self.positions.iter().map(|p| p.text.words()).sum::<u32>()
    }
}

/// A single text: an advance question, a reply, a statement summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    pub text: Prose,
    /// The language it is written in, as its author declares it (the public site marks
    /// its text with it). Left out when not given, so bodies from before hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
}

/// A corrected version of a published document. Serialised untagged, as the document's
/// own body; never read back in this form (the store reads a revision as the type of its
/// document key), since untagged bodies of different kinds can look alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CorrectedBody {
    Report(ReportBody),
    Input(InputBody),
    Compilation(CompilationBody),
    Response(ResponseBody),
    Outcome(OutcomeBody),
}

impl CorrectedBody {
    pub fn words(&self) -> u32 {
        match self {
            CorrectedBody::Report(body) => body.words(),
            CorrectedBody::Input(body) => body.words(),
            CorrectedBody::Compilation(body) => body.text.words(),
            CorrectedBody::Response(body) => body.words(),
            CorrectedBody::Outcome(body) => body.words(),
        }
    }
}

/// Where a document's revisions are kept: one key per document of a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKey {
    StateReport,
    Input(InputId),
    Compilation,
    WgReport,
    Response,
    Question(u32),
    Reply(InputId),
    Statement(u32),
    Outcome,
}

impl fmt::Display for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentKey::StateReport => f.write_str("state_report"),
            DocumentKey::Input(id) => write!(f, "input/{id}"),
            DocumentKey::Compilation => f.write_str("compilation"),
            DocumentKey::WgReport => f.write_str("wg_report"),
            DocumentKey::Response => f.write_str("response"),
            DocumentKey::Question(n) => write!(f, "question/{n}"),
            DocumentKey::Reply(id) => write!(f, "reply/{id}"),
            DocumentKey::Statement(n) => write!(f, "statement/{n}"),
            DocumentKey::Outcome => f.write_str("outcome"),
        }
    }
}

impl Serialize for DocumentKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A body inside an event: serialises as its digest, so the audit trail never holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed<B> {
    body: B,
    digest: TextDigest,
}

impl<B: Serialize> Sealed<B> {
    /// Seals a body with its word count; the digest is SHA-256 of the body's canonical
    /// JSON (RFC 8785), so anyone can check a published body against the trail.
    pub fn new(body: B, words: u32) -> Self {
        let sha256 = h(&canonical_json(&stored_json(&body)));
        Self {
            body,
            digest: TextDigest { words, sha256 },
        }
    }
}

impl<B> Sealed<B> {
    pub fn body(&self) -> &B {
        &self.body
    }

    pub fn digest(&self) -> &TextDigest {
        &self.digest
    }
}

impl<B> Serialize for Sealed<B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.digest.serialize(serializer)
    }
}

/// The full JSON of a body, as stored.
pub fn stored_json<B: Serialize>(body: &B) -> serde_json::Value {
    // Bodies hold strings, numbers, lists and maps with string keys only.
    serde_json::to_value(body).unwrap_or(serde_json::Value::Null)
}

/// One revision of a document as the review records it (the body lives in the store).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
}

/// A published correction: a later version that supersedes the one before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erratum {
    #[serde(flatten)]
    pub revision: Revision,
    pub reason: ShortText,
}

/// A part of a document withheld from the public, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    pub section: Section,
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
}

/// How much of a document a viewer may read, from nothing to everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Not even that it exists.
    None,
    /// That it exists, its metadata and (for a not-admitted input) the reason, no text.
    Listing,
    /// The published text, with redacted sections and confidential parts withheld.
    Public,
    /// The published text in full and the confidential part (working group).
    Confidential,
    /// What was submitted, in full, contact details included (secretariat).
    Secretariat,
    /// Everything the authors wrote, drafts included.
    Author,
}

impl Access {
    /// The stable name of the access, as the API answers it.
    pub const fn code(self) -> &'static str {
        match self {
            Access::None => "none",
            Access::Listing => "listing",
            Access::Public => "public",
            Access::Confidential => "confidential",
            Access::Secretariat => "secretariat",
            Access::Author => "author",
        }
    }
}

impl Access {
    pub fn reads_text(self) -> bool {
        self >= Access::Public
    }

    pub fn reads_confidential(self) -> bool {
        self >= Access::Confidential
    }
}

/// What the public is shown in place of a redacted section.
pub const REDACTED: &str = "[redacted]";

impl ReportBody {
    /// The body as `access` may read it: redacted sections replaced, confidential part
    /// and contact details withheld as the access requires.
    pub fn shown(&self, access: Access, redactions: &[Redaction]) -> ReportBody {
        let mut shown = self.clone();
        if !access.reads_confidential() {
            shown.confidential = None;
            for redaction in redactions {
                match redaction.section {
                    Section::ForeignActivity => shown.foreign_activity = redacted(),
                    Section::Norm(norm) => {
                        if let Some(text) = redacted() {
                            shown.norms.insert(norm, text);
                        }
                    }
                    Section::Text => {}
                }
            }
        }
        if access < Access::Secretariat {
            shown.contact = None;
        }
        shown
    }
}

impl InputBody {
    pub fn shown(&self, access: Access, redactions: &[Redaction]) -> InputBody {
        let mut shown = self.clone();
        if !access.reads_confidential() {
            shown.confidential = None;
            if redactions.iter().any(|r| r.section == Section::Text)
                && let Some(text) = redacted()
            {
                shown.text = text;
            }
        }
        if access < Access::Secretariat {
            shown.contact = None;
        }
        shown
    }
}

fn redacted() -> Option<Prose> {
    Prose::parse(REDACTED).ok()
}

/// How many words of an input a point of the engine's compilation draft quotes.
pub const EXCERPT_WORDS: usize = 60;

/// The engine's draft of the compilation: the admitted inputs' points grouped by norm
/// and, within a norm, by stakeholder kind, each citing the input it comes from. The
/// secretariat edits it before publishing.
pub fn draft_compilation(inputs: &[(&super::InputRecord, &InputBody)]) -> String {
    use std::fmt::Write as _;
    let mut by_norm: BTreeMap<Option<Norm>, BTreeMap<crate::StakeholderKind, Vec<String>>> =
        BTreeMap::new();
    for (record, body) in inputs {
        let cite = format!("[input {}]", record.id);
        let point = format!("{} {cite}", body.text.excerpt(EXCERPT_WORDS));
        let norms: Vec<Option<Norm>> = if body.norms.is_empty() {
            vec![None]
        } else {
            body.norms.iter().copied().map(Some).collect()
        };
        for norm in norms {
            by_norm
                .entry(norm)
                .or_default()
                .entry(record.kind)
                .or_default()
                .push(point.clone());
        }
    }
    let mut out = String::from("# Compilation of stakeholder inputs\n");
    for (norm, kinds) in &by_norm {
        match norm {
            Some(norm) => {
                let _ = write!(out, "\n## Norm {} — {}\n", norm.code(), norm.label());
            }
            None => out.push_str("\n## Inputs not tied to a norm\n"),
        }
        for (kind, points) in kinds {
            let _ = write!(out, "\n### {}\n\n", kind.label());
            for point in points {
                let _ = writeln!(out, "- {point}");
            }
        }
    }
    if inputs.is_empty() {
        out.push_str("\nNo stakeholder input was admitted.\n");
    }
    out
}

crate::value_error::deserialize_by_try_from_string!(Prose, Section);
