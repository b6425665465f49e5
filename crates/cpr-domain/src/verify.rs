//! The verifiability algorithms of the spec, byte for byte: the seed commitment, the
//! beacon mixed into draw seeds, the working-group draw, the speakers-list draw and the
//! audit chain (the transparency log over every chain is [`crate::tlog`]). The public must be able
//! to recheck every value with any language, so nothing here may deviate from the spec's
//! "Verifiability" section, and `tests/fixtures/vectors.json` (computed independently)
//! pins every formula.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{RegionalGroup, ReviewId, StateCode, ValueError};

/// `H(x)`: SHA-256 of the UTF-8 bytes of `x`, as 64 lowercase hex characters.
pub fn h(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The hash before the first entry of a chain: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn is_hex64(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A cycle's secret seed: 32 random bytes as 64 lowercase hex characters. The server
/// publishes its commitment when the cycle opens and reveals it at the first draw.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Seed(String);

impl Seed {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(hex::encode(bytes))
    }

    pub fn parse(text: &str) -> Option<Self> {
        is_hex64(text).then(|| Self(text.to_owned()))
    }

    pub fn as_hex(&self) -> &str {
        &self.0
    }

    /// `H(seed)`, published when the cycle opens.
    pub fn commitment(&self) -> String {
        h(&self.0)
    }

    /// `draw_seed = H(seed ‖ "/" ‖ purpose)`, for a cycle that named no beacon.
    pub fn derive(&self, purpose: &DrawPurpose) -> String {
        h(&format!("{}/{}", self.0, purpose))
    }

    /// `draw_seed = H(seed ‖ "/" ‖ H(beacon_value) ‖ "/" ‖ purpose)`, for a cycle that
    /// named a beacon (its value recorded before the first draw).
    pub fn derive_with_beacon(&self, beacon: &BeaconValue, purpose: &DrawPurpose) -> String {
        h(&format!("{}/{}/{}", self.0, beacon.hash(), purpose))
    }

    /// The draw seed of the spec: with the beacon's value when the cycle named one,
    /// without otherwise.
    pub fn draw_seed(&self, beacon: Option<&BeaconValue>, purpose: &DrawPurpose) -> String {
        match beacon {
            Some(beacon) => self.derive_with_beacon(beacon, purpose),
            None => self.derive(purpose),
        }
    }
}

/// `H(beacon_value)` of a value as the beacon published it: surrounding white space is
/// removed first, as the spec records the value.
pub fn beacon_value_hash(published: &str) -> String {
    h(published.trim())
}

/// The value a public randomness beacon published for the cycle's reference, as recorded
/// by the secretariat: the text exactly as published, surrounding white space removed,
/// not empty and at most [`BeaconValue::MAX_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BeaconValue(String);

impl BeaconValue {
    pub const MAX_CHARS: usize = 256;

    /// Trims surrounding white space; `None` when nothing is left or it is too long.
    pub fn parse(published: &str) -> Option<Self> {
        Self::new(published).ok()
    }

    /// As [`BeaconValue::parse`], saying why a value is refused: `empty_text` when
    /// nothing is left once trimmed, `text_too_long` beyond 256 characters.
    pub fn new(published: &str) -> Result<Self, ValueError> {
        let value = published.trim();
        if value.is_empty() {
            return Err(ValueError::EmptyText);
        }
        let chars = value.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(ValueError::TextTooLong {
                chars,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `H(beacon_value)`, as it enters the draw seed.
    pub fn hash(&self) -> String {
        h(&self.0)
    }
}

impl TryFrom<String> for BeaconValue {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or("a beacon value is 1 to 256 characters")
    }
}

impl From<BeaconValue> for String {
    fn from(value: BeaconValue) -> Self {
        value.0
    }
}

impl TryFrom<String> for Seed {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or("a seed is 64 lowercase hex characters")
    }
}

impl From<Seed> for String {
    fn from(seed: Seed) -> Self {
        seed.0
    }
}

/// Never print a secret seed by accident.
impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(..)")
    }
}

/// What a draw is for: `wg/<review-id>/<n>` or `speakers/<review-id>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawPurpose {
    /// The n-th working-group draw of a review; replacements count up from 1.
    WorkingGroup {
        review: ReviewId,
        n: u32,
    },
    Speakers {
        review: ReviewId,
    },
}

impl fmt::Display for DrawPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrawPurpose::WorkingGroup { review, n } => write!(f, "wg/{review}/{n}"),
            DrawPurpose::Speakers { review } => write!(f, "speakers/{review}"),
        }
    }
}

/// A state that may be drawn, with the working-group seats it held in the previous three
/// cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    pub seats_in_previous_3_cycles: u32,
}

/// One line of a published eligible list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibleEntry {
    pub iso3: StateCode,
    pub regional_group: RegionalGroup,
    pub seats_in_previous_3_cycles: u32,
    pub ticket: String,
}

/// `ticket(s) = H(draw_seed ‖ ":" ‖ s.iso3)`.
pub fn ticket(draw_seed: &str, state: StateCode) -> String {
    h(&format!("{draw_seed}:{state}"))
}

/// What a working-group draw computes: the eligible list with tickets, in the order the
/// walk takes it, and the states taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawOutcome {
    pub ranked: Vec<EligibleEntry>,
    pub result: Vec<StateCode>,
}

/// The working-group draw (steps 2 to 4 of the spec). `eligible` is the eligible list of
/// step 1; `seated_groups` are the regional groups of members already seated (for a
/// replacement); `own_group` is the SuR's group when it asked for a member of it.
pub fn draw_working_group(
    draw_seed: &str,
    eligible: &[Candidate],
    need: usize,
    seated_groups: &[RegionalGroup],
    own_group: Option<RegionalGroup>,
    distinct_groups: bool,
) -> DrawOutcome {
    let mut ranked: Vec<EligibleEntry> = eligible
        .iter()
        .map(|candidate| EligibleEntry {
            iso3: candidate.state,
            regional_group: candidate.regional_group,
            seats_in_previous_3_cycles: candidate.seats_in_previous_3_cycles,
            ticket: ticket(draw_seed, candidate.state),
        })
        .collect();
    // Tickets are lowercase hex of equal length, so comparing the strings compares them
    // "ascending as hex strings" exactly as the spec says.
    ranked.sort_by(|a, b| {
        (a.seats_in_previous_3_cycles, &a.ticket).cmp(&(b.seats_in_previous_3_cycles, &b.ticket))
    });

    let mut taken: Vec<&EligibleEntry> = Vec::with_capacity(need);
    if let Some(group) = own_group
        && !seated_groups.contains(&group)
        && need > 0
        && let Some(first) = ranked.iter().find(|entry| entry.regional_group == group)
    {
        taken.push(first);
    }
    for entry in ranked.iter().filter(|_| distinct_groups) {
        if taken.len() >= need {
            break;
        }
        let represented = seated_groups.contains(&entry.regional_group)
            || taken
                .iter()
                .any(|t| t.regional_group == entry.regional_group);
        if !represented && !taken.iter().any(|t| t.iso3 == entry.iso3) {
            taken.push(entry);
        }
    }
    for entry in &ranked {
        if taken.len() >= need {
            break;
        }
        if !taken.iter().any(|t| t.iso3 == entry.iso3) {
            taken.push(entry);
        }
    }
    let result = taken.iter().map(|entry| entry.iso3).collect();
    DrawOutcome { ranked, result }
}

/// The speakers-list draw: requests ordered by `H(draw_seed ‖ ":" ‖ speaker_id)`
/// ascending. The SuR's slot is first and not drawn, so it is not among `requests`.
pub fn speakers_order<S: AsRef<str>>(draw_seed: &str, requests: &[S]) -> Vec<String> {
    let mut keyed: Vec<(String, &str)> = requests
        .iter()
        .map(|speaker| {
            (
                h(&format!("{draw_seed}:{}", speaker.as_ref())),
                speaker.as_ref(),
            )
        })
        .collect();
    keyed.sort();
    keyed
        .into_iter()
        .map(|(_, speaker)| speaker.to_owned())
        .collect()
}

/// What an entry of a review's chain says of its working group's seats: a draw seated
/// its `result` (`working_group_drawn`), or a member left (`wg_member_substituted`,
/// `wg_member_excused`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeatChange {
    Drawn(Vec<StateCode>),
    Left(StateCode),
}

/// The working-group seats each state holds in the given reviews (step 3 of the draw):
/// a seat counts when the state is a member of that review's working group, and a member
/// that excused itself or was substituted holds no seat there. `changes` are the seat
/// entries of the look-back cycles' reviews, each with its review; their order does not
/// matter, since a state that left a working group is never drawn into it again.
pub fn seats_held<R: Ord>(
    changes: impl IntoIterator<Item = (R, SeatChange)>,
) -> BTreeMap<StateCode, u32> {
    let mut drawn: BTreeMap<R, BTreeSet<StateCode>> = BTreeMap::new();
    let mut left: BTreeMap<R, BTreeSet<StateCode>> = BTreeMap::new();
    for (review, change) in changes {
        match change {
            SeatChange::Drawn(states) => drawn.entry(review).or_default().extend(states),
            SeatChange::Left(state) => {
                left.entry(review).or_default().insert(state);
            }
        }
    }
    let mut seats = BTreeMap::new();
    for (review, members) in &drawn {
        let gone = left.get(review);
        for state in members {
            if !gone.is_some_and(|gone| gone.contains(state)) {
                *seats.entry(*state).or_insert(0) += 1;
            }
        }
    }
    seats
}

/// `H(canonical JSON of the payload)`, canonical JSON being RFC 8785 (JCS).
pub fn payload_digest(payload: &serde_json::Value) -> String {
    h(&canonical_json(payload))
}

/// RFC 8785 canonical JSON of a value.
pub fn canonical_json(payload: &serde_json::Value) -> String {
    // Serialising a `serde_json::Value` cannot fail: its map keys are strings.
    serde_json_canonicalizer::to_string(payload).unwrap_or_default()
}

/// The fields of an audit entry that its hash covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub seq: u64,
    /// RFC 3339 UTC with whole seconds, e.g. `2027-03-01T09:00:00Z`.
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub payload_digest: String,
    pub hash: String,
}

/// `hash = H(prev ‖ "\n" ‖ seq ‖ "\n" ‖ at ‖ "\n" ‖ kind ‖ "\n" ‖ actor ‖ "\n" ‖ payload_digest)`.
pub fn chain_hash(
    prev: &str,
    seq: u64,
    at: &str,
    kind: &str,
    actor: &str,
    payload_digest: &str,
) -> String {
    h(&format!(
        "{prev}\n{seq}\n{at}\n{kind}\n{actor}\n{payload_digest}"
    ))
}

/// Where a chain fails to verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry at this position does not carry the expected sequence number.
    Sequence { position: usize },
    /// The entry with this sequence number does not hash to its recorded hash.
    Hash { seq: u64 },
}

/// Rechecks a whole chain from its first entry: numbering from 1 without gaps, and every
/// hash. Any change, removal or reordering of an entry makes it fail.
pub fn verify_chain(links: &[ChainLink]) -> Result<(), ChainBreak> {
    let mut prev = GENESIS_HASH.to_owned();
    for (position, link) in links.iter().enumerate() {
        if link.seq != position as u64 + 1 {
            return Err(ChainBreak::Sequence { position });
        }
        let expected = chain_hash(
            &prev,
            link.seq,
            &link.at,
            &link.kind,
            &link.actor,
            &link.payload_digest,
        );
        if expected != link.hash {
            return Err(ChainBreak::Hash { seq: link.seq });
        }
        prev = expected;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn vectors() -> Value {
        serde_json::from_str(include_str!("../../../tests/fixtures/vectors.json")).unwrap()
    }

    fn state(value: &Value) -> StateCode {
        StateCode::parse(value.as_str().unwrap()).unwrap()
    }

    fn group(value: &Value) -> RegionalGroup {
        RegionalGroup::parse(value.as_str().unwrap()).unwrap()
    }

    #[test]
    fn sha256_examples_match() {
        let vectors = vectors();
        for (text, digest) in vectors["sha256_examples"].as_object().unwrap() {
            assert_eq!(h(text), digest.as_str().unwrap(), "{text:?}");
        }
    }

    #[test]
    fn seed_commitment_matches() {
        let vectors = vectors();
        let seed = Seed::parse(vectors["seed_commitment"]["seed"].as_str().unwrap()).unwrap();
        assert_eq!(
            seed.commitment(),
            vectors["seed_commitment"]["commitment"].as_str().unwrap()
        );
    }

    #[test]
    fn working_group_draws_match_every_case() {
        let vectors = vectors();
        let seed = Seed::parse(vectors["seed_commitment"]["seed"].as_str().unwrap()).unwrap();
        let cases = vectors["wg_draws"]["cases"].as_object().unwrap();
        assert_eq!(cases.len(), 3);
        for (name, case) in cases {
            let purpose = case["purpose"].as_str().unwrap();
            let (review, n) = purpose
                .strip_prefix("wg/")
                .and_then(|rest| rest.rsplit_once('/'))
                .unwrap();
            let purpose = DrawPurpose::WorkingGroup {
                review: review.parse().unwrap(),
                n: n.parse().unwrap(),
            };
            assert_eq!(purpose.to_string(), case["purpose"].as_str().unwrap());
            let draw_seed = seed.derive(&purpose);
            assert_eq!(draw_seed, case["draw_seed"].as_str().unwrap(), "{name}");

            let eligible: Vec<Candidate> = case["eligible"]
                .as_array()
                .unwrap()
                .iter()
                .map(|entry| Candidate {
                    state: state(&entry["iso3"]),
                    regional_group: group(&entry["regional_group"]),
                    seats_in_previous_3_cycles: entry["seats_in_previous_3_cycles"]
                        .as_u64()
                        .unwrap() as u32,
                })
                .collect();
            let seated: Vec<RegionalGroup> = case["seated_member_groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(group)
                .collect();
            let own_group = case["sur_asked_for_own_group"]
                .as_str()
                .map(|g| RegionalGroup::parse(g).unwrap());
            let need = case["need"].as_u64().unwrap() as usize;
            let outcome = draw_working_group(&draw_seed, &eligible, need, &seated, own_group, true);

            for entry in case["eligible"].as_array().unwrap() {
                let iso3 = state(&entry["iso3"]);
                let ours = outcome.ranked.iter().find(|e| e.iso3 == iso3).unwrap();
                assert_eq!(
                    ours.ticket,
                    entry["ticket"].as_str().unwrap(),
                    "{name} {iso3}"
                );
            }
            let ranked: Vec<StateCode> = outcome.ranked.iter().map(|e| e.iso3).collect();
            let expected_ranked: Vec<StateCode> = case["ranked_order"]
                .as_array()
                .unwrap()
                .iter()
                .map(state)
                .collect();
            assert_eq!(ranked, expected_ranked, "{name}");
            let expected: Vec<StateCode> = case["result"]
                .as_array()
                .unwrap()
                .iter()
                .map(state)
                .collect();
            assert_eq!(outcome.result, expected, "{name}");
        }
    }

    #[test]
    fn speakers_draw_matches() {
        let vectors = vectors();
        let case = &vectors["speakers_draw"];
        let seed = Seed::parse(vectors["seed_commitment"]["seed"].as_str().unwrap()).unwrap();
        let review = case["purpose"]
            .as_str()
            .unwrap()
            .strip_prefix("speakers/")
            .unwrap()
            .parse()
            .unwrap();
        let draw_seed = seed.derive(&DrawPurpose::Speakers { review });
        assert_eq!(draw_seed, case["draw_seed"].as_str().unwrap());
        let requests: Vec<&str> = case["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let expected: Vec<&str> = case["order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(speakers_order(&draw_seed, &requests), expected);
    }

    #[test]
    fn beacon_draw_matches() {
        let vectors = vectors();
        let case = &vectors["beacon_draw"];
        let published = case["beacon_value"].as_str().unwrap();
        assert_ne!(published, published.trim(), "the vector pads its value");
        assert_eq!(
            beacon_value_hash(published),
            case["beacon_value_hash"].as_str().unwrap()
        );
        let beacon = BeaconValue::parse(published).unwrap();
        assert_eq!(beacon.as_str(), published.trim());
        assert_eq!(beacon.hash(), case["beacon_value_hash"].as_str().unwrap());

        let seed = Seed::parse(vectors["seed_commitment"]["seed"].as_str().unwrap()).unwrap();
        let (review, n) = case["purpose"]
            .as_str()
            .unwrap()
            .strip_prefix("wg/")
            .and_then(|rest| rest.rsplit_once('/'))
            .unwrap();
        let purpose = DrawPurpose::WorkingGroup {
            review: review.parse().unwrap(),
            n: n.parse().unwrap(),
        };
        assert_eq!(purpose.to_string(), case["purpose"].as_str().unwrap());
        let draw_seed = seed.derive_with_beacon(&beacon, &purpose);
        assert_eq!(draw_seed, case["draw_seed"].as_str().unwrap());
        assert_eq!(seed.draw_seed(Some(&beacon), &purpose), draw_seed);
        assert_eq!(seed.draw_seed(None, &purpose), seed.derive(&purpose));
        assert_ne!(seed.derive(&purpose), draw_seed);

        // "same seed, eligible list and seat counts as wg_draws.cases.first_draw"
        let first = &vectors["wg_draws"]["cases"]["first_draw"];
        assert_eq!(first["purpose"], case["purpose"]);
        let eligible: Vec<Candidate> = first["eligible"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| Candidate {
                state: state(&entry["iso3"]),
                regional_group: group(&entry["regional_group"]),
                seats_in_previous_3_cycles: entry["seats_in_previous_3_cycles"].as_u64().unwrap()
                    as u32,
            })
            .collect();
        let seated: Vec<RegionalGroup> = first["seated_member_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(group)
            .collect();
        let own_group = first["sur_asked_for_own_group"]
            .as_str()
            .map(|g| RegionalGroup::parse(g).unwrap());
        let need = first["need"].as_u64().unwrap() as usize;
        let outcome = draw_working_group(&draw_seed, &eligible, need, &seated, own_group, true);
        let ranked: Vec<StateCode> = outcome.ranked.iter().map(|e| e.iso3).collect();
        let expected_ranked: Vec<StateCode> = case["ranked_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(state)
            .collect();
        assert_eq!(ranked, expected_ranked);
        let expected: Vec<StateCode> = case["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(state)
            .collect();
        assert_eq!(outcome.result, expected);
    }

    #[test]
    fn beacon_values_are_trimmed_and_bounded() {
        assert_eq!(BeaconValue::parse(" \t\n "), None);
        assert_eq!(BeaconValue::parse(&"a".repeat(257)), None);
        let longest = BeaconValue::parse(&format!("  {}\n", "é".repeat(256))).unwrap();
        assert_eq!(longest.as_str().chars().count(), 256);
        assert_eq!(
            BeaconValue::parse(" round 1 ").unwrap().hash(),
            beacon_value_hash("round 1")
        );
    }

    #[test]
    fn a_beacon_value_is_refused_with_a_precise_code() {
        assert_eq!(BeaconValue::new("  ").unwrap_err().code(), "empty_text");
        assert_eq!(
            BeaconValue::new(&"a".repeat(257)).unwrap_err().code(),
            "text_too_long"
        );
        assert_eq!(BeaconValue::new(" ab\n").unwrap().as_str(), "ab");
    }

    #[track_caller]
    fn check_seats(changes: Vec<(u32, SeatChange)>, expected: &[(&str, u32)]) {
        let expected: BTreeMap<StateCode, u32> = expected
            .iter()
            .map(|(code, n)| (StateCode::parse(code).unwrap(), *n))
            .collect();
        assert_eq!(seats_held(changes), expected);
    }

    fn codes(list: &[&str]) -> Vec<StateCode> {
        list.iter().map(|c| StateCode::parse(c).unwrap()).collect()
    }

    #[test]
    fn a_seat_counts_once_per_review_where_the_state_is_a_member() {
        use SeatChange::{Drawn, Left};
        check_seats(vec![], &[]);
        check_seats(
            vec![
                (1, Drawn(codes(&["DEU", "BRA", "KEN"]))),
                (2, Drawn(codes(&["DEU", "JPN", "CAN"]))),
            ],
            &[("BRA", 1), ("CAN", 1), ("DEU", 2), ("JPN", 1), ("KEN", 1)],
        );
        // A substituted member and one that excused itself hold no seat; their
        // replacements do, whatever order the entries come in.
        check_seats(
            vec![
                (1, Left(StateCode::parse("BRA").unwrap())),
                (1, Drawn(codes(&["DEU", "BRA", "KEN"]))),
                (1, Drawn(codes(&["ARG"]))),
                (1, Left(StateCode::parse("KEN").unwrap())),
                (1, Drawn(codes(&["NGA"]))),
                (2, Drawn(codes(&["BRA"]))),
            ],
            &[("ARG", 1), ("BRA", 1), ("DEU", 1), ("NGA", 1)],
        );
    }

    fn chain_from_vectors() -> Vec<ChainLink> {
        let vectors = vectors();
        let chain = &vectors["audit_chain"];
        let canonical = chain["canonical_payloads"].as_array().unwrap();
        chain["entries"]
            .as_array()
            .unwrap()
            .iter()
            .zip(canonical)
            .map(|(entry, canonical)| {
                assert_eq!(
                    canonical_json(&entry["payload"]),
                    canonical.as_str().unwrap()
                );
                let digest = payload_digest(&entry["payload"]);
                assert_eq!(digest, entry["payload_digest"].as_str().unwrap());
                ChainLink {
                    seq: entry["seq"].as_u64().unwrap(),
                    at: entry["at"].as_str().unwrap().to_owned(),
                    kind: entry["kind"].as_str().unwrap().to_owned(),
                    actor: entry["actor"].as_str().unwrap().to_owned(),
                    payload_digest: digest,
                    hash: entry["hash"].as_str().unwrap().to_owned(),
                }
            })
            .collect()
    }

    #[test]
    fn audit_chain_hashes_match() {
        let links = chain_from_vectors();
        assert_eq!(links.len(), 3);
        let mut prev = GENESIS_HASH.to_owned();
        for link in &links {
            let hash = chain_hash(
                &prev,
                link.seq,
                &link.at,
                &link.kind,
                &link.actor,
                &link.payload_digest,
            );
            assert_eq!(hash, link.hash, "entry {}", link.seq);
            prev = hash;
        }
        assert_eq!(verify_chain(&links), Ok(()));
    }

    #[test]
    fn changing_removing_or_reordering_an_entry_breaks_the_chain() {
        let links = chain_from_vectors();

        let mut changed = links.clone();
        changed[1].actor = "state:DEU".into();
        assert_eq!(verify_chain(&changed), Err(ChainBreak::Hash { seq: 2 }));

        let mut removed = links.clone();
        removed.remove(1);
        assert_eq!(
            verify_chain(&removed),
            Err(ChainBreak::Sequence { position: 1 })
        );

        let mut reordered = links.clone();
        reordered.swap(1, 2);
        assert!(verify_chain(&reordered).is_err());

        let mut renumbered = links;
        renumbered.swap(1, 2);
        renumbered[1].seq = 2;
        renumbered[2].seq = 3;
        assert!(verify_chain(&renumbered).is_err());
    }
}
