//! The stages of a review.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a review is. The six stages of the process run forward only; `Concluded` and
/// `Withdrawn` are terminal and absorb every command.
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
pub enum Stage {
    StateReport,
    StakeholderInput,
    Compilation,
    WorkingGroup,
    Response,
    Oversight,
    Concluded,
    Withdrawn,
}

impl Stage {
    /// The six working stages in order.
    pub const PROCESS: [Stage; 6] = [
        Stage::StateReport,
        Stage::StakeholderInput,
        Stage::Compilation,
        Stage::WorkingGroup,
        Stage::Response,
        Stage::Oversight,
    ];

    pub const ALL: [Stage; 8] = [
        Stage::StateReport,
        Stage::StakeholderInput,
        Stage::Compilation,
        Stage::WorkingGroup,
        Stage::Response,
        Stage::Oversight,
        Stage::Concluded,
        Stage::Withdrawn,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Stage::StateReport => "state_report",
            Stage::StakeholderInput => "stakeholder_input",
            Stage::Compilation => "compilation",
            Stage::WorkingGroup => "working_group",
            Stage::Response => "response",
            Stage::Oversight => "oversight",
            Stage::Concluded => "concluded",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.code() == code)
    }

    /// The stage number of the process (1 to 6); terminal states have none.
    pub const fn number(self) -> Option<u8> {
        match self {
            Stage::StateReport => Some(1),
            Stage::StakeholderInput => Some(2),
            Stage::Compilation => Some(3),
            Stage::WorkingGroup => Some(4),
            Stage::Response => Some(5),
            Stage::Oversight => Some(6),
            Stage::Concluded | Stage::Withdrawn => None,
        }
    }

    /// The stage that follows on the forward path.
    pub const fn next(self) -> Option<Stage> {
        match self {
            Stage::StateReport => Some(Stage::StakeholderInput),
            Stage::StakeholderInput => Some(Stage::Compilation),
            Stage::Compilation => Some(Stage::WorkingGroup),
            Stage::WorkingGroup => Some(Stage::Response),
            Stage::Response => Some(Stage::Oversight),
            Stage::Oversight => Some(Stage::Concluded),
            Stage::Concluded | Stage::Withdrawn => None,
        }
    }

    pub const fn is_terminal(self) -> bool {
        matches!(self, Stage::Concluded | Stage::Withdrawn)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
