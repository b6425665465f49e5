//! cpr-store
