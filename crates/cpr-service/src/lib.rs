//! cpr-service
