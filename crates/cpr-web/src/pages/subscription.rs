//! Following a state's reviews by email without an account: the subscription form, the
//! "check your mail" answer, and the pages the links of the mails open — confirming a
//! subscription and unsubscribing. A GET of a link only shows a button: mail scanners
//! fetch links, and must not confirm or unsubscribe anyone by doing so; the button's POST
//! does it.
//!
//! These POSTs carry no CSRF token, on purpose: a subscription request creates an
//! unconfirmed subscription only (nothing is sent to the address but the confirmation,
//! and the answer is the same whether or not it was subscribed), and a confirmation or an
//! unsubscription changes only the subscription its unguessable token (256 random bits,
//! known only from the mail) names. A forged request can do nothing its sender could not
//! do with a plain request of its own.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::Response;
use cpr_domain::StateCode;
use cpr_service::ServiceError;
use serde::Deserialize;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath, WebQuery};
use crate::render::ser;

use super::{fresh, state_choices};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormQuery {
    state: Option<String>,
}

/// What the form sends (a browser may add a named button; other fields are ignored).
#[derive(Debug, Default, Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    email: String,
}

/// `GET /{lang}/subscribe`: the form; `?state=FRA` chooses the state.
pub async fn form(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<FormQuery>,
) -> Response {
    let chosen = match query.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => match StateCode::parse(code) {
            Ok(code) => Some(code.to_string()),
            Err(_) => return WebError::bad("state").page(visit.lang),
        },
    };
    site.page(&visit, || async {
        Ok::<_, WebError>((
            "subscribe.html",
            minijinja::context! {
                states => ser(&state_choices(&site).await?),
                chosen,
                email => "",
                error => None::<&str>,
            },
        ))
    })
    .await
}

/// `POST /{lang}/subscribe`: asks for the confirmation mail. The page says to check the
/// mail whether or not the address had subscribed before; a state or an address that is
/// not valid gives the form again with the error (400).
pub async fn subscribe(
    State(site): State<Site>,
    visit: Visit,
    form: Result<Form<SubscribeForm>, FormRejection>,
) -> Response {
    if !visit.prefixed {
        return WebError::NotFound.page(visit.lang);
    }
    let form = match form {
        Ok(Form(form)) => form,
        Err(_) => SubscribeForm::default(),
    };
    let state = StateCode::parse(form.state.trim());
    let outcome = match state {
        Err(_) => Err("subscribe-error-state"),
        Ok(state) => match site.service.subscribe(state, form.email.trim()).await {
            Ok(()) => Ok(state),
            Err(ServiceError::Invalid { .. }) => Err("subscribe-error-email"),
            Err(ServiceError::Unprocessable { .. }) => Err("subscribe-error-state"),
            Err(e) => return WebError::from(e).page(visit.lang),
        },
    };
    match outcome {
        Ok(state) => {
            let name = site.service.state(state).await.map(|s| s.name).ok();
            fresh(
                &visit,
                StatusCode::OK,
                "subscription.html",
                minijinja::context! {
                    title => "subscribe-sent-title",
                    body => "subscribe-sent-body",
                    state => name.unwrap_or_else(|| state.to_string()),
                    action => None::<&str>,
                },
            )
        }
        Err(error) => {
            let states = match state_choices(&site).await {
                Ok(states) => states,
                Err(e) => return e.page(visit.lang),
            };
            fresh(
                &visit,
                StatusCode::BAD_REQUEST,
                "subscribe.html",
                minijinja::context! {
                    states => ser(&states),
                    chosen => state.ok().map(|s| s.to_string()),
                    email => form.email,
                    error,
                },
            )
        }
    }
}

/// The page of a link: its title and text, and the button that does what it says.
fn link_page(visit: &Visit, kind: &str) -> Response {
    fresh(
        visit,
        StatusCode::OK,
        "subscription.html",
        minijinja::context! {
            title => format!("{kind}-title"),
            body => format!("{kind}-body"),
            button => format!("{kind}-button"),
            state => "",
            // The form posts to the address it was shown at.
            action => visit.key.clone(),
        },
    )
}

/// What a link's POST answers when its token names nothing valid: 404 for an unknown
/// token (or one already used to unsubscribe), 410 for an expired confirmation.
fn refused(visit: &Visit, error: ServiceError) -> Response {
    match error {
        ServiceError::Conflict {
            code: "token_expired",
            ..
        }
        | ServiceError::Expired { .. } => fresh(
            visit,
            StatusCode::GONE,
            "subscription.html",
            minijinja::context! {
                title => "confirm-expired-title",
                body => "confirm-expired-body",
                state => "",
                action => None::<&str>,
            },
        ),
        other => WebError::from(other).page(visit.lang),
    }
}

/// `GET /{lang}/subscriptions/confirm/{token}`: a button to confirm.
pub async fn confirm_page(visit: Visit, WebPath(_): WebPath<(String, String)>) -> Response {
    link_page(&visit, "confirm")
}

/// `POST /{lang}/subscriptions/confirm/{token}`: confirms, and says for which state.
pub async fn confirm(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, token)): WebPath<(String, String)>,
) -> Response {
    match site.service.confirm_subscription(&token).await {
        Ok(state) => {
            let name = site.service.state(state).await.map(|s| s.name).ok();
            fresh(
                &visit,
                StatusCode::OK,
                "subscription.html",
                minijinja::context! {
                    title => "confirmed-title",
                    body => "confirmed-body",
                    state => name.unwrap_or_else(|| state.to_string()),
                    action => None::<&str>,
                },
            )
        }
        Err(e) => refused(&visit, e),
    }
}

/// `GET /{lang}/subscriptions/unsubscribe/{token}`: a button to unsubscribe.
pub async fn unsubscribe_page(visit: Visit, WebPath(_): WebPath<(String, String)>) -> Response {
    link_page(&visit, "unsubscribe")
}

/// `POST /{lang}/subscriptions/unsubscribe/{token}`: deletes the subscription. Its body
/// is ignored, so a mail client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click`)
/// works here too.
pub async fn unsubscribe(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, token)): WebPath<(String, String)>,
) -> Response {
    match site.service.unsubscribe(&token).await {
        Ok(()) => fresh(
            &visit,
            StatusCode::OK,
            "subscription.html",
            minijinja::context! {
                title => "unsubscribed-title",
                body => "unsubscribed-body",
                state => "",
                action => None::<&str>,
            },
        ),
        Err(e) => refused(&visit, e),
    }
}
