//! What several missions share: field errors and the parsing of common values, what typed
//! text may hold, and how a value read from a file is quoted in a message.

pub mod civil_date;
pub mod quoting;
pub mod text;
pub mod validation;
