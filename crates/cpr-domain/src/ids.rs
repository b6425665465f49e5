//! Identifiers of the objects of a review process.
//!
//! Each is a UUID newtype so that a review id can never be passed where an account id is
//! expected. The domain never generates ids (that needs a clock and randomness); callers
//! create them, as UUID v7, and hand them in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        crate::schema::schema!($name, crate::schema::uuid(stringify!($name)));

        impl $name {
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        /// The canonical lowercase hyphenated form, as the verifiability formulas use it.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A review: one state under review in one cycle.
    ReviewId
);
id_type!(
    /// A review cycle (annual by default).
    CycleId
);
id_type!(
    /// A person's account.
    AccountId
);
id_type!(
    /// An organisation: the secretariat, the oversight body or a stakeholder organisation.
    OrganisationId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// A stakeholder input filed on a review.
    InputId
);
id_type!(
    /// A state's pledge.
    PledgeId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_display_in_canonical_lowercase_hyphenated_form() {
        let id: ReviewId = "01935C5E-7A1B-7C3D-8E4F-5A6B7C8D9E0F".parse().unwrap();
        assert_eq!(id.to_string(), "01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f");
    }

    #[test]
    fn ids_reject_text_that_is_not_a_uuid() {
        assert!("not-a-uuid".parse::<ReviewId>().is_err());
    }
}
