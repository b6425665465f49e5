//! Reference data of the process: state codes, UN regional groups, the 11 GGE norms,
//! stakeholder kinds and affected sectors. Each type only holds valid values.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::ValueError;

/// An ISO 3166-1 alpha-3 code, stored in upper case (`FRA`).
///
/// Only the format is checked here; whether a code names a known state is a question for
/// the states register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct StateCode([u8; 3]);

impl StateCode {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|byte| byte.is_ascii_alphabetic()) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(ValueError::StateCode(text.chars().take(16).collect())),
        }
    }

    pub fn as_str(&self) -> &str {
        // The constructor admits ASCII letters only, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StateCode {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for StateCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<StateCode> for String {
    fn from(code: StateCode) -> Self {
        code.as_str().to_owned()
    }
}

/// Declares a closed vocabulary: an enum whose variants have a stable snake_case code, a
/// human label, and parse from the code (and from the label, as reference data files use it).
macro_rules! vocabulary {
    (
        $(#[$doc:meta])* $name:ident, $error:ident {
            $($variant:ident => ($code:literal, $label:literal)),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "&'static str")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable identifier used in the API and in stored data.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// A short human-readable label.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn parse(text: &str) -> Result<Self, ValueError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.code() == text || value.label() == text)
                    .ok_or_else(|| ValueError::$error(text.chars().take(64).collect()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for &'static str {
            fn from(value: $name) -> Self {
                value.code()
            }
        }

        crate::value_error::deserialize_by_try_from_string!($name);

        crate::schema::schema!(
            $name,
            crate::schema::codes(stringify!($name), &[$($code),+])
        );

        /// A request may give the code or the label.
        impl crate::schema::InputSchema for $name {
            fn input_schema() -> utoipa::openapi::schema::Object {
                crate::schema::codes(
                    concat!(stringify!($name), ": its code (or its label)"),
                    &[$($code),+, $($label),+],
                )
                .build()
            }
        }
    };
}

vocabulary!(
    /// The five UN regional groups, used to balance working groups.
    RegionalGroup, RegionalGroup {
        African => ("african_states", "African States"),
        AsiaPacific => ("asia_pacific_states", "Asia-Pacific States"),
        EasternEuropean => ("eastern_european_states", "Eastern European States"),
        LatinAmericanAndCaribbean => (
            "latin_american_and_caribbean_states",
            "Latin American and Caribbean States"
        ),
        WesternEuropeanAndOther => (
            "western_european_and_other_states",
            "Western European and Other States"
        ),
    }
);

vocabulary!(
    /// The 11 norms of the 2015 GGE report (A/70/174, para. 13).
    Norm, Norm {
        N13a => ("13a", "Cooperate to increase stability and security and prevent harmful ICT practices"),
        N13b => ("13b", "Consider all relevant information in case of ICT incidents"),
        N13c => ("13c", "Do not knowingly allow territory to be used for internationally wrongful acts using ICTs"),
        N13d => ("13d", "Cooperate on information exchange and prosecution of criminal and terrorist use of ICTs"),
        N13e => ("13e", "Respect human rights online, including the right to privacy"),
        N13f => ("13f", "Do not conduct or support ICT activity that intentionally damages critical infrastructure"),
        N13g => ("13g", "Protect critical infrastructure from ICT threats"),
        N13h => ("13h", "Respond to requests for assistance from states whose critical infrastructure is attacked"),
        N13i => ("13i", "Ensure supply-chain integrity; prevent proliferation of malicious ICT tools and hidden functions"),
        N13j => ("13j", "Encourage responsible reporting of ICT vulnerabilities and share remedies"),
        N13k => ("13k", "Do not harm emergency response teams (CERTs/CSIRTs) or use them for malicious activity"),
    }
);

vocabulary!(
    /// The kinds of accredited stakeholder organisation.
    StakeholderKind, StakeholderKind {
        Ngo => ("ngo", "NGO"),
        Academia => ("academia", "Academia"),
        PrivateSector => ("private_sector", "Private sector"),
        TechnicalCommunity => ("technical_community", "Technical community"),
        InternationalOrganisation => ("international_organisation", "International organisation"),
    }
);

vocabulary!(
    /// Human-centric tags: who and what was harmed.
    Sector, Sector {
        Healthcare => ("healthcare", "Healthcare"),
        Energy => ("energy", "Energy"),
        WaterAndSanitation => ("water_and_sanitation", "Water and sanitation"),
        Finance => ("finance", "Finance"),
        Transport => ("transport", "Transport"),
        Telecommunications => ("telecommunications", "Telecommunications"),
        ElectionsAndDemocraticInstitutions => (
            "elections_and_democratic_institutions",
            "Elections and democratic institutions"
        ),
        MediaAndJournalists => ("media_and_journalists", "Media and journalists"),
        HumanRightsDefenders => ("human_rights_defenders", "Human-rights defenders"),
        HumanitarianOrganisations => ("humanitarian_organisations", "Humanitarian organisations"),
        Other => ("other", "Other"),
    }
);

vocabulary!(
    /// The people harmed, beside the sectors: the spec's affected groups.
    AffectedGroup, AffectedGroup {
        Gender => ("gender", "Gender perspectives"),
        WomenGirls => ("women_girls", "Women and girls"),
        Children => ("children", "Children"),
        OlderPersons => ("older_persons", "Older persons"),
        PersonsWithDisabilities => ("persons_with_disabilities", "Persons with disabilities"),
        IndigenousPeoples => ("indigenous_peoples", "Indigenous peoples"),
        Lgbtiq => ("lgbtiq", "LGBTIQ+ persons"),
        Minorities => ("minorities", "Minorities"),
        MigrantsRefugees => (
            "migrants_refugees",
            "Migrants, refugees and displaced persons"
        ),
        HumanRightsDefenders => ("human_rights_defenders", "Human-rights defenders"),
        Journalists => ("journalists", "Journalists and media workers"),
        Victims => ("victims", "Victims of cyber operations"),
    }
);

vocabulary!(
    /// How a session is held.
    SessionFormat, SessionFormat {
        InPerson => ("in_person", "In person"),
        Hybrid => ("hybrid", "Hybrid"),
        Virtual => ("virtual", "Virtual"),
    }
);

vocabulary!(
    /// What a state says of an outcome adopted by consensus.
    PositionKind, PositionKind {
        ExplanationOfPosition => ("explanation_of_position", "Explanation of position"),
        Dissociation => ("dissociation", "Dissociation"),
    }
);

crate::value_error::deserialize_by_try_from_string!(StateCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_are_three_letters_normalised_to_upper_case() {
        assert_eq!(StateCode::parse("fra").unwrap().as_str(), "FRA");
        for bad in ["", "FR", "FRAN", "F1A", "ÉTA", "FR "] {
            assert_eq!(
                StateCode::parse(bad).unwrap_err().code(),
                "invalid_state_code",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn there_are_eleven_norms_from_13a_to_13k() {
        let codes: Vec<_> = Norm::ALL.iter().map(|norm| norm.code()).collect();
        assert_eq!(
            codes,
            [
                "13a", "13b", "13c", "13d", "13e", "13f", "13g", "13h", "13i", "13j", "13k"
            ]
        );
        assert_eq!(Norm::parse("13l").unwrap_err().code(), "invalid_norm");
    }

    #[test]
    fn regional_groups_parse_from_code_and_from_the_un_name() {
        assert_eq!(
            RegionalGroup::parse("Western European and Other States").unwrap(),
            RegionalGroup::WesternEuropeanAndOther
        );
        assert_eq!(
            RegionalGroup::parse("asia_pacific_states").unwrap(),
            RegionalGroup::AsiaPacific
        );
        assert!(RegionalGroup::parse("Oceania").is_err());
    }

    #[test]
    fn vocabularies_serialise_as_their_codes() {
        assert_eq!(
            serde_json::to_string(&Sector::WaterAndSanitation).unwrap(),
            "\"water_and_sanitation\""
        );
        assert_eq!(serde_json::from_str::<Norm>("\"13e\"").unwrap(), Norm::N13e);
        assert!(serde_json::from_str::<Norm>("\"14a\"").is_err());
    }
}
