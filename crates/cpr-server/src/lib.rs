//! cpr-server
