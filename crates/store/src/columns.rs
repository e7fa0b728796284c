//! Column types rows decode through on their way to domain values: a 0/1 integer (both
//! databases store flags as integers) becomes a `bool`, with `#[sqlx(try_from = "Bit")]`.

/// A flag as stored.
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct Bit(i64);

impl From<Bit> for bool {
    fn from(bit: Bit) -> bool {
        bit.0 != 0
    }
}
