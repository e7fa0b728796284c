//! Column types rows decode through on their way to domain values, with
//! `#[sqlx(try_from = "…")]`: a stored code becomes its enum through [`Code`] (an unknown
//! code is a decoding error that names it), and a 0/1 integer (both databases store flags
//! as integers) becomes a `bool` through [`Bit`].

use maillage_domain::common::coded::UnknownCode;
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A flag as stored.
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct Bit(i64);

impl From<Bit> for bool {
    fn from(bit: Bit) -> bool {
        bit.0 != 0
    }
}

/// A code as stored, already checked against the variants of `T`.
pub struct Code<T>(T);

impl<T> Type<Any> for Code<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T> Decode<'r, Any> for Code<T>
where
    T: TryFrom<String, Error = UnknownCode>,
{
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let code = <String as Decode<'r, Any>>::decode(value)?;
        Ok(Code(T::try_from(code)?))
    }
}

/// Lets each enum be read from its [`Code`].
macro_rules! decoded_from_codes {
    ($($ty:ty),+ $(,)?) => {$(
        impl From<Code<$ty>> for $ty {
            fn from(code: Code<$ty>) -> Self {
                code.0
            }
        }
    )+};
}

decoded_from_codes!(
    maillage_domain::Role,
    maillage_domain::gp_waitlist::states::ProposalStatus,
    maillage_domain::gp_waitlist::states::RequestChannel,
    maillage_domain::gp_waitlist::states::RequestStatus,
    maillage_domain::messaging::ThreadKind,
    maillage_domain::platform::notification::NotificationChannel,
    maillage_domain::unscheduled_care::booking::BookingStatus,
    maillage_domain::unscheduled_care::reasons::Reason,
    maillage_domain::unscheduled_care::request::Caller,
    maillage_domain::unscheduled_care::request::Mobility,
    maillage_domain::unscheduled_care::request::OwnGp,
    maillage_domain::unscheduled_care::request::Urgency,
    maillage_domain::unscheduled_care::slot_kinds::Mode,
    maillage_domain::unscheduled_care::slot_kinds::Visibility,
    maillage_domain::unscheduled_care::states::RequestChannel,
    maillage_domain::unscheduled_care::states::RequestStatus,
    maillage_domain::unscheduled_care::states::SlotStatus,
);
