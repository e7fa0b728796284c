//! Where a member sees unscheduled patients: one of their practice sites in the directory,
//! recorded as a place of their own on first use, so that re-imports of the directory
//! leave their slots alone.

use crate::error::{ServiceError, ServiceResult};
use maillage_domain::{FieldErrors, GeoPoint};
use maillage_store::Conn;
use maillage_store::directory::members::MemberRow;
use maillage_store::unscheduled_care::availability::{self as store, NewPlace, PracticeSite};

/// A practice site a member may choose, by its position in the directory.
pub type Site = PracticeSite;

/// A place with what laying out slots needs: its position and its department (for public
/// holidays).
pub struct Placed {
    pub id: i64,
    pub point: GeoPoint,
    pub departement: String,
}

/// The practice sites of a professional.
pub async fn sites_of(conn: &mut Conn, professional_id: i64) -> ServiceResult<Vec<Site>> {
    Ok(store::practice_sites(conn, professional_id).await?)
}

/// The place of the member's practice site at `position`, recorded on first use.
pub(super) async fn place_of_site(
    conn: &mut Conn,
    member: &MemberRow,
    position: i64,
) -> ServiceResult<i64> {
    let sites = store::practice_sites(conn, member.professional_id).await?;
    let site = sites
        .iter()
        .find(|s| s.position == position)
        .ok_or_else(|| FieldErrors::single("site", "Choisissez un de vos lieux d’exercice."))?;
    let Some(commune) = site.commune.as_deref() else {
        return Err(FieldErrors::single(
            "site",
            "La commune de ce lieu d’exercice est inconnue de l’annuaire : choisissez-en un autre.",
        )
        .into());
    };
    if site.street.trim().is_empty() || site.postcode.trim().is_empty() {
        return Err(FieldErrors::single(
            "site",
            "L’annuaire ne donne pas la rue ou le code postal de ce lieu d’exercice : le SAS \
             et les patients ont besoin de l’adresse complète. Choisissez un autre lieu, ou \
             faites corriger l’annuaire (RPPS) puis réimportez-le.",
        )
        .into());
    }
    let name = if site.structure_name.is_empty() {
        format!("Cabinet de {} {}", member.first_name, member.last_name)
    } else {
        site.structure_name.clone()
    };
    let place = NewPlace {
        member_id: member.id,
        name: &name,
        street: &site.street,
        postcode: &site.postcode,
        commune,
        finess: &site.finess,
        phone: &site.phone,
    };
    Ok(store::place_id(conn, &place).await?)
}

/// A place with its position and department.
pub(super) async fn placed(conn: &mut Conn, place_id: i64) -> ServiceResult<Placed> {
    let place = store::place(conn, place_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let point = GeoPoint::known(place.latitude, place.longitude).ok_or_else(|| {
        ServiceError::Internal(format!("commune {} without a position", place.commune))
    })?;
    Ok(Placed {
        id: place.id,
        point,
        departement: place.departement,
    })
}
