//! The templates of each notice kind: a subject, a plain-text body and an HTML body,
//! compiled into the binary. Undefined values are errors, so a template that names a
//! missing field fails loudly; the message then stays queued with the error recorded.

use cpr_domain::notification::NoticeKind;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde_json::json;

use crate::MailError;

/// A message ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// For subscribers: the page to unsubscribe from, linked in the body.
    pub unsubscribe_url: Option<String>,
    /// For subscribers: the RFC 8058 one-click target of `List-Unsubscribe` (the API's
    /// endpoint, which a mail client POSTs `List-Unsubscribe=One-Click` to).
    pub one_click_url: Option<String>,
}

const FOOTER_TXT: &str = "\
The review is in the stage \"{{ stage_label }}\".
{% if deadline %}
Deadline ({{ deadline_label }}): {{ deadline.due }} (UTC)
{% endif %}
The review's public page: {{ link }}
{% if unsubscribe_url %}
You receive this mail because you subscribed to the reviews of {{ review.state_name }}.
Unsubscribe: {{ unsubscribe_url }}
{% endif %}
-- 
Cyber Peer Review secretariat
";

const LAYOUT_HTML: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body>
<p>{% if recipient_name %}Dear {{ recipient_name }},{% else %}Hello,{% endif %}</p>
{% block body %}{% endblock %}
<p>The review is in the stage “{{ stage_label }}”.</p>
{% if deadline %}<p><strong>Deadline ({{ deadline_label }}):</strong> {{ deadline.due }} (UTC)</p>{% endif %}
<p><a href="{{ link|safe }}">The review's public page</a></p>
{% if unsubscribe_url %}<p style="font-size:small">You receive this mail because you subscribed to the reviews of {{ review.state_name }}. <a href="{{ unsubscribe_url|safe }}">Unsubscribe</a></p>{% endif %}
<p>Cyber Peer Review secretariat</p>
</body>
</html>
"#;

/// (kind, subject, the text's message, the HTML's message). The text and HTML bodies wrap
/// the message in the greeting, the deadline, the link and the unsubscribe line.
const KINDS: [(NoticeKind, &str, &str); 11] = [
    (
        NoticeKind::ReviewOpened,
        "Review of {{ review.state_name }} opened: state report due {{ deadline.due }}",
        "The review of {{ review.state_name }} ({{ review.state }}) is open. Your state report is due by the deadline below.",
    ),
    (
        NoticeKind::InputWindowOpened,
        "Review of {{ review.state_name }}: stakeholder input window open",
        "The stakeholder input window of the review of {{ review.state_name }} is open. Accredited stakeholders may file inputs until the deadline below.",
    ),
    (
        NoticeKind::DeadlineMissed,
        "Review of {{ review.state_name }}: {{ deadline_label }} deadline passed without action",
        "The {{ deadline_label }} deadline of the review of {{ review.state_name }} passed without action. This is recorded publicly and the review has moved on to the stage \"{{ stage_label }}\".",
    ),
    (
        NoticeKind::CompilationPublished,
        "Review of {{ review.state_name }}: compilation published",
        "The secretariat published the compilation of the review of {{ review.state_name }}, with the state report and the admitted stakeholder inputs.",
    ),
    (
        NoticeKind::WgAssigned,
        "Review of {{ review.state_name }}: working group assigned ({{ review.wg_members | join(', ') }})",
        "The working group of the review of {{ review.state_name }} is {{ review.wg_members | join(', ') }}. Its session is planned for {{ review.wg_session }} (UTC).",
    ),
    (
        NoticeKind::WgSessionScheduled,
        "Review of {{ review.state_name }}: working-group session on {{ review.wg_session }}",
        "The working-group session of the review of {{ review.state_name }} is scheduled for {{ review.wg_session }} (UTC).",
    ),
    (
        NoticeKind::WgReportAdopted,
        "Review of {{ review.state_name }}: working-group report adopted, response due {{ deadline.due }}",
        "The working group adopted its report on {{ review.state_name }}. The response of {{ review.state_name }} to each recommendation is due by the deadline below.",
    ),
    (
        NoticeKind::OversightSessionScheduled,
        "Review of {{ review.state_name }}: oversight session on {{ review.oversight_session }}",
        "The oversight session of the review of {{ review.state_name }} is scheduled for {{ review.oversight_session }} (UTC).{% if review.webcast_url %} Webcast: {{ review.webcast_url }}{% endif %}",
    ),
    (
        NoticeKind::ReviewConcluded,
        "Review of {{ review.state_name }} concluded",
        "The oversight body adopted the outcome of the review of {{ review.state_name }}. The review is concluded and its whole record is public.",
    ),
    (
        NoticeKind::ReviewWithdrawn,
        "Review of {{ review.state_name }} withdrawn",
        "The secretariat withdrew the review of {{ review.state_name }} from its cycle; the public reason is on the review's page.",
    ),
    (
        NoticeKind::Reminder,
        "Reminder: {{ deadline_label }} of the review of {{ review.state_name }} due in {{ days_before }} day{% if days_before != 1 %}s{% endif %}",
        "A reminder: the {{ deadline_label }} of the review of {{ review.state_name }} is due in {{ days_before }} day{% if days_before != 1 %}s{% endif %}, on {{ deadline.due }} (UTC).",
    ),
];

const CONFIRMATION_SUBJECT: &str = "Confirm your subscription to the reviews of {{ state_name }}";
const CONFIRMATION_TXT: &str = "\
Hello,

Someone (we hope you) asked to receive mail about the Cyber Peer Review of {{ state_name }}.
To confirm, open this link before {{ expires_at }} (UTC):

{{ confirm_url }}

If it was not you, ignore this mail: without confirmation nothing more is sent and the
address is not used.
-- 
Cyber Peer Review secretariat
";
const CONFIRMATION_HTML: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body>
<p>Hello,</p>
<p>Someone (we hope you) asked to receive mail about the Cyber Peer Review of {{ state_name }}.</p>
<p><a href="{{ confirm_url|safe }}">Confirm the subscription</a> before {{ expires_at }} (UTC).</p>
<p>If it was not you, ignore this mail: without confirmation nothing more is sent and the address is not used.</p>
<p>Cyber Peer Review secretariat</p>
</body>
</html>
"#;

const INVITATION_SUBJECT: &str = "Your Cyber Peer Review account: obtain your access token";
const INVITATION_TXT: &str = "\
{% if recipient_name %}Dear {{ recipient_name }},{% else %}Hello,{% endif %}

The Cyber Peer Review secretariat created an account for you ({{ role_label }}).
This invitation is yours alone: it gives your account its first access token,
once, until {{ expires_at }} (UTC).

Your invitation link:
{{ invitation_url }}

Your invitation code (the same secret, on a line of its own):

{{ invitation_secret }}

Until the participants' pages open, obtain the token over the API:

  POST {{ redeem_url }}
  {\"secret\": \"<the code above>\"}

The answer holds your token, shown once. Nobody else, the secretariat included,
can obtain a token for your account; you issue and revoke further tokens yourself.
If you did not expect this mail, ignore it: the invitation expires unused.
-- 
Cyber Peer Review secretariat
";
const INVITATION_HTML: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body>
<p>{% if recipient_name %}Dear {{ recipient_name }},{% else %}Hello,{% endif %}</p>
<p>The Cyber Peer Review secretariat created an account for you ({{ role_label }}). This invitation is yours alone: it gives your account its first access token, once, until {{ expires_at }} (UTC).</p>
<p><a href="{{ invitation_url|safe }}">Obtain your access token</a></p>
<p>Your invitation code:</p>
<p><code>{{ invitation_secret }}</code></p>
<p>Until the participants' pages open, send it to <code>POST {{ redeem_url }}</code> as <code>{"secret": "..."}</code>; the answer holds your token, shown once.</p>
<p>Nobody else, the secretariat included, can obtain a token for your account; you issue and revoke further tokens yourself. If you did not expect this mail, ignore it: the invitation expires unused.</p>
<p>Cyber Peer Review secretariat</p>
</body>
</html>
"#;

/// The compiled templates and where links point.
pub struct Templates {
    env: Environment<'static>,
    base_url: String,
}

fn label(code: &str) -> String {
    code.replace('_', " ")
}

impl Templates {
    pub fn new(public_base_url: &str) -> Result<Templates, MailError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let add = |env: &mut Environment<'static>, name: String, source: String| {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| MailError::Template {
                    template: name,
                    detail: e.to_string(),
                })
        };
        add(&mut env, "footer.txt".into(), FOOTER_TXT.into())?;
        add(&mut env, "layout.html".into(), LAYOUT_HTML.into())?;
        let confirmation = "subscription_confirmation";
        add(
            &mut env,
            format!("{confirmation}.subject.txt"),
            CONFIRMATION_SUBJECT.into(),
        )?;
        add(
            &mut env,
            format!("{confirmation}.txt"),
            CONFIRMATION_TXT.into(),
        )?;
        add(
            &mut env,
            format!("{confirmation}.html"),
            CONFIRMATION_HTML.into(),
        )?;
        let invitation = "account_invitation";
        add(
            &mut env,
            format!("{invitation}.subject.txt"),
            INVITATION_SUBJECT.into(),
        )?;
        add(&mut env, format!("{invitation}.txt"), INVITATION_TXT.into())?;
        add(
            &mut env,
            format!("{invitation}.html"),
            INVITATION_HTML.into(),
        )?;
        for (kind, subject, message) in KINDS {
            let code = kind.code();
            add(&mut env, format!("{code}.subject.txt"), subject.into())?;
            add(
                &mut env,
                format!("{code}.txt"),
                format!(
                    "{{% if recipient_name %}}Dear {{{{ recipient_name }}}},{{% else %}}Hello,{{% endif %}}\n\n{message}\n\n{{% include \"footer.txt\" %}}"
                ),
            )?;
            add(
                &mut env,
                format!("{code}.html"),
                format!(
                    "{{% extends \"layout.html\" %}}{{% block body %}}<p>{message}</p>{{% endblock %}}"
                ),
            )?;
        }
        Ok(Templates {
            env,
            base_url: public_base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Renders the message of `kind` from the data its outbox row holds.
    pub fn render(&self, kind: &str, data: &serde_json::Value) -> Result<Rendered, MailError> {
        let review = data
            .get("review")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        // The mails are in English, and so are the pages they link to.
        let link = match review.get("id").and_then(|id| id.as_str()) {
            Some(id) => format!("{}/en/reviews/{id}", self.base_url),
            None => format!("{}/en/", self.base_url),
        };
        let unsubscribe_token = data
            .get("unsubscribe_token")
            .and_then(|token| token.as_str());
        // The body links to the page, whose button unsubscribes (a GET changes nothing, so
        // a mail scanner's prefetch cannot); the header names the API's endpoint, which
        // unsubscribes on a POST alone, as one-click unsubscribing wants.
        let unsubscribe_url = unsubscribe_token
            .map(|token| format!("{}/en/subscriptions/unsubscribe/{token}", self.base_url));
        let one_click_url = unsubscribe_token
            .map(|token| format!("{}/api/v1/subscriptions/unsubscribe/{token}", self.base_url));
        let mut context = data.clone();
        if let Some(token) = data.get("confirm_token").and_then(|t| t.as_str()) {
            context["confirm_url"] = json!(format!(
                "{}/en/subscriptions/confirm/{token}",
                self.base_url
            ));
        }
        if let Some(secret) = data.get("invitation_secret").and_then(|t| t.as_str()) {
            // The page of the participant portal to come; the secret is also in the mail
            // on its own, for the API (`POST /api/v1/invitations`).
            context["invitation_url"] = json!(format!("{}/invitations/{secret}", self.base_url));
            context["redeem_url"] = json!(format!("{}/api/v1/invitations", self.base_url));
            let role = data
                .get("role")
                .and_then(|r| r.as_str())
                .unwrap_or_default();
            let role_label = match (role, data.get("state").and_then(|s| s.as_str())) {
                ("state", Some(state)) => format!("a delegate of {state}"),
                ("stakeholder", _) => "a member of a stakeholder organisation".to_owned(),
                ("oversight", _) => "a member of the oversight body".to_owned(),
                ("secretariat", _) => "an officer of the secretariat".to_owned(),
                (other, _) => other.to_owned(),
            };
            context["role_label"] = json!(role_label);
        }
        context["link"] = json!(link);
        context["unsubscribe_url"] = json!(unsubscribe_url);
        context["stage_label"] = json!(
            review
                .get("stage")
                .and_then(|s| s.as_str())
                .map(label)
                .unwrap_or_default()
        );
        context["deadline_label"] = json!(
            data.get("deadline")
                .and_then(|d| d.get("kind"))
                .and_then(|k| k.as_str())
                .map(label)
                .unwrap_or_default()
        );
        let subject = self.one(&format!("{kind}.subject.txt"), &context)?;
        context["subject"] = json!(subject);
        Ok(Rendered {
            subject: subject.trim().to_owned(),
            text: self.one(&format!("{kind}.txt"), &context)?,
            html: self.one(&format!("{kind}.html"), &context)?,
            unsubscribe_url,
            one_click_url,
        })
    }

    fn one(&self, name: &str, context: &serde_json::Value) -> Result<String, MailError> {
        let template_error = |e: minijinja::Error| MailError::Template {
            template: name.to_owned(),
            detail: e.to_string(),
        };
        self.env
            .get_template(name)
            .map_err(template_error)?
            .render(Value::from(minijinja::value::Serde(context)))
            .map_err(template_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(kind: NoticeKind) -> serde_json::Value {
        json!({
            "kind": kind.code(),
            "at": "2027-01-10T09:00:00Z",
            "review": {
                "id": "0193aaaa-0000-7000-8000-000000000001",
                "cycle": "0193aaaa-0000-7000-8000-000000000002",
                "state": "FRA",
                "state_name": "France",
                "stage": "stakeholder_input",
                "wg_session": "2027-06-15T09:00:00Z",
                "oversight_session": "2027-07-01T10:00:00Z",
                "webcast_url": "https://webtv.example/cpr",
                "wg_members": ["BRA", "KEN", "POL"],
            },
            "deadline": {"kind": "state_report", "due": "2027-03-23T23:59:59Z"},
            "days_before": 7,
            "recipient_name": "Delegate <of> France",
            "unsubscribe_token": null,
        })
    }

    #[test]
    fn every_kind_renders_with_the_review_the_deadline_and_the_link() {
        let templates = Templates::new("https://cpr.example/").unwrap();
        for kind in NoticeKind::ALL {
            let rendered = templates.render(kind.code(), &data(kind)).unwrap();
            assert!(
                rendered.subject.contains("France"),
                "{kind:?}: {rendered:?}"
            );
            let link = "https://cpr.example/en/reviews/0193aaaa-0000-7000-8000-000000000001";
            assert!(rendered.text.contains(link), "{kind:?}");
            assert!(rendered.html.contains(link), "{kind:?}");
            assert!(rendered.text.contains("2027-03-23T23:59:59Z"), "{kind:?}");
            assert!(rendered.text.contains("stakeholder input"), "{kind:?}");
            // HTML bodies escape what they are given.
            assert!(
                rendered.html.contains("Delegate &lt;of&gt; France"),
                "{kind:?}"
            );
            assert_eq!(rendered.unsubscribe_url, None);
            assert_eq!(rendered.one_click_url, None);
        }
    }

    #[test]
    fn a_subscriber_gets_an_unsubscribe_page_and_a_one_click_target() {
        let templates = Templates::new("https://cpr.example").unwrap();
        let mut data = data(NoticeKind::CompilationPublished);
        data["unsubscribe_token"] = json!("tok123");
        data["recipient_name"] = json!(null);
        let rendered = templates
            .render(NoticeKind::CompilationPublished.code(), &data)
            .unwrap();
        let page = "https://cpr.example/en/subscriptions/unsubscribe/tok123";
        assert_eq!(rendered.unsubscribe_url.as_deref(), Some(page));
        assert!(rendered.text.contains(page) && rendered.html.contains(page));
        // The header's target unsubscribes on a POST alone (RFC 8058); the body's page
        // asks first, so that a scanner fetching it changes nothing.
        let one_click = "https://cpr.example/api/v1/subscriptions/unsubscribe/tok123";
        assert_eq!(rendered.one_click_url.as_deref(), Some(one_click));
        assert!(!rendered.text.contains(one_click) && !rendered.html.contains(one_click));
    }

    #[test]
    fn the_confirmation_mail_carries_its_link() {
        let templates = Templates::new("https://cpr.example").unwrap();
        let data = json!({
            "kind": "subscription_confirmation",
            "subscription": "0193aaaa-0000-7000-8000-000000000009",
            "state": "FRA",
            "state_name": "France",
            "confirm_token": "ab12",
            "expires_at": "2027-01-12T09:00:00Z",
        });
        let rendered = templates
            .render("subscription_confirmation", &data)
            .unwrap();
        let url = "https://cpr.example/en/subscriptions/confirm/ab12";
        assert!(rendered.text.contains(url) && rendered.html.contains(url));
        assert!(rendered.subject.contains("France"));
    }

    #[test]
    fn the_invitation_carries_its_link_and_its_secret_on_a_line_of_its_own() {
        let templates = Templates::new("https://cpr.example/").unwrap();
        let secret = "ab".repeat(32);
        let data = json!({
            "kind": "account_invitation",
            "invitation": "0193aaaa-0000-7000-8000-000000000009",
            "account": "0193aaaa-0000-7000-8000-000000000010",
            "role": "state",
            "state": "FRA",
            "recipient_name": "Delegate <of> France",
            "invitation_secret": secret,
            "expires_at": "2027-01-13T09:00:00Z",
        });
        let rendered = templates.render("account_invitation", &data).unwrap();
        let url = format!("https://cpr.example/invitations/{secret}");
        assert!(rendered.text.contains(&url) && rendered.html.contains(&url));
        assert!(rendered.text.lines().any(|line| line == secret));
        assert!(
            rendered
                .text
                .contains("https://cpr.example/api/v1/invitations")
        );
        assert!(rendered.text.contains("a delegate of FRA"));
        assert!(rendered.html.contains("Delegate &lt;of&gt; France"));
        assert_eq!(rendered.unsubscribe_url, None);
    }

    #[test]
    fn a_missing_field_is_an_error_not_an_empty_mail() {
        let templates = Templates::new("https://cpr.example").unwrap();
        let mut data = data(NoticeKind::Reminder);
        data["deadline"] = json!(null);
        assert!(matches!(
            templates.render("reminder", &data),
            Err(MailError::Template { .. })
        ));
        assert!(templates.render("no_such_kind", &data).is_err());
    }
}
