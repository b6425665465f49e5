//! Who acts: an account speaking for a party (the secretariat, a state, a stakeholder
//! organisation, the oversight body) or the engine's own scheduler.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{AccountId, OrganisationId, StateCode};

/// The four roles an account can hold (see the spec's table of actors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Secretariat,
    State,
    Stakeholder,
    Oversight,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Secretariat,
        Role::State,
        Role::Stakeholder,
        Role::Oversight,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Role::Secretariat => "secretariat",
            Role::State => "state",
            Role::Stakeholder => "stakeholder",
            Role::Oversight => "oversight",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }
}

/// The party an actor speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    Secretariat(OrganisationId),
    /// A delegate of a member state.
    State(StateCode),
    Stakeholder {
        organisation: OrganisationId,
        accredited: bool,
    },
    Oversight(OrganisationId),
    /// The engine itself, acting on a deadline.
    System,
}

/// An authenticated actor. Authorization looks at the party only; the account is recorded
/// in the audit trail so that every change names the person who made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub account: Option<AccountId>,
    pub party: Party,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        account: None,
        party: Party::System,
    };

    pub const fn new(account: AccountId, party: Party) -> Self {
        Self {
            account: Some(account),
            party,
        }
    }

    pub const fn role(&self) -> Option<Role> {
        match self.party {
            Party::Secretariat(_) => Some(Role::Secretariat),
            Party::State(_) => Some(Role::State),
            Party::Stakeholder { .. } => Some(Role::Stakeholder),
            Party::Oversight(_) => Some(Role::Oversight),
            Party::System => None,
        }
    }

    /// The actor as the audit chain writes it: `<role>:<organisation>` or `system`.
    pub fn audit_name(&self) -> AuditActor {
        AuditActor(self.party)
    }
}

/// Displays a party in the audit chain's `actor` form (`state:FRA`, `secretariat:<uuid>`).
pub struct AuditActor(Party);

impl fmt::Display for AuditActor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Party::Secretariat(organisation) => write!(f, "secretariat:{organisation}"),
            Party::State(state) => write!(f, "state:{state}"),
            Party::Stakeholder { organisation, .. } => write!(f, "stakeholder:{organisation}"),
            Party::Oversight(organisation) => write!(f, "oversight:{organisation}"),
            Party::System => f.write_str("system"),
        }
    }
}
