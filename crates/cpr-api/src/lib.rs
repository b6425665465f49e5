//! cpr-api
