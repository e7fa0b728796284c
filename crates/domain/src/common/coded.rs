//! States and kinds stored as short codes: the error an unknown code is, and the macro that
//! lets the store decode a row's code into the domain's enum.

/// A stored code that no variant of its enum has: the database holds something this version
/// of maillage does not know, which is an error, never a silent default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct UnknownCode {
    /// What the code stands for, e.g. "booking status".
    pub kind: &'static str,
    pub code: String,
}

/// Implements `TryFrom<String>` (with [`UnknownCode`] as the error) for enums that have a
/// `from_code(&str) -> Option<Self>`, so that the store decodes their column with
/// `#[sqlx(try_from = "String")]`.
#[macro_export]
macro_rules! stored_codes {
    ($($ty:ty => $kind:literal),+ $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = $crate::common::coded::UnknownCode;

            fn try_from(code: String) -> Result<Self, Self::Error> {
                Self::from_code(&code)
                    .ok_or($crate::common::coded::UnknownCode { kind: $kind, code })
            }
        }
    )+};
}

/// Declares an enum stored as codes: the enum (`Copy`, comparable), `ALL` its variants in
/// order, `code()`, `from_code()` and, through [`stored_codes!`], `TryFrom<String>`.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $kind:literal {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code it is stored and exchanged as.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        $crate::stored_codes!($name => $kind);
    };
}

#[cfg(test)]
mod tests {
    use crate::unscheduled_care::booking::BookingStatus;

    #[test]
    fn a_known_code_decodes_and_an_unknown_one_is_an_error() {
        assert_eq!(
            BookingStatus::try_from("no_show".to_owned()),
            Ok(BookingStatus::NoShow)
        );
        let error = BookingStatus::try_from("lost".to_owned()).unwrap_err();
        assert_eq!(error.to_string(), "unknown booking status code \"lost\"");
    }
}
