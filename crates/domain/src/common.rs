//! What several missions share: stored codes, field errors and the parsing of common values, the
//! calendar date and the Paris time zone people's dates are read in, what typed text may
//! hold, and how a value read from a file is quoted in a message.

pub mod civil_date;
pub mod coded;
pub mod paris_time;
pub mod quoting;
pub mod text;
pub mod validation;
