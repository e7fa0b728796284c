//! The resources of the SAS guide's CPTS flow (`ans.fhir.fr.sas` 1.2.0), built from a
//! free slot: the Slot (visibility in `meta.security`, consultation type and the CPTS in
//! `serviceType`, the booking address in `comment`), the Schedule and PractitionerRole of
//! its place (with the Location contained), the Practitioner, and the CPTS as a
//! HealthcareService provided by an Organization. References are relative, as the SAS
//! test kit compares them.

use crate::{
    directory::fhir::resources::IDNPS_SYSTEM, directory::fhir::resources::IDNST_SYSTEM,
    directory::fhir::resources::nos,
};
use maillage_domain::unscheduled_care::instants::paris_rfc3339;
use maillage_domain::unscheduled_care::sas::ID_TYPES_V2;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use maillage_store::territory::cpts::CptsRow;
use maillage_store::unscheduled_care::slots::SlotRow;
use serde_json::{Value, json};

const SAS: &str = "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition";
const SAS_OLD: &str = "http://sas.fr/fhir/StructureDefinition";
pub const BUNDLE_PROFILE: &str =
    "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator";
const ACT_CODES: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const APPOINTMENT_REASONS: &str = "http://terminology.hl7.org/CodeSystem/v2-0276";
const SERVICE_TYPE_R5: &str =
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType";
const ID_TYPES_CORE: &str = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
const LOCATION_ID_TYPES: &str =
    "http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type";
/// The TRE_R66 category of a CPTS.
const CPTS_CATEGORY: &str = "604";

pub fn schedule_id(slot: &SlotRow) -> String {
    format!("snp-lieu-{}", slot.place_id)
}

pub fn cpts_id(cpts: &CptsRow) -> String {
    format!("cpts-{}", cpts.slug)
}

/// A phone as the guide writes it, `+33` and nine digits, from ten stored digits.
fn international(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 10 && digits.starts_with('0')).then(|| format!("+33{}", &digits[1..]))
}

fn consultation_type(mode: Mode) -> &'static str {
    match mode {
        Mode::Teleconsultation => "VR",
        Mode::HomeVisit => "HH",
        Mode::InPerson => "AMB",
    }
}

/// A free slot; `booking_url` is where a regulator books it in maillage.
pub fn slot(slot: &SlotRow, cpts: &CptsRow, booking_url: &str) -> Value {
    let mut resource = json!({
        "resourceType": "Slot",
        "id": slot.id.to_string(),
        "meta": {
            "profile": [format!("{SAS}/sas-cpts-slot-aggregator")],
            "security": [{ "system": nos("R314-TypeCreneau"), "code": slot.visibility.code() }],
        },
        "serviceType": [
            { "coding": [{ "system": ACT_CODES, "code": consultation_type(slot.mode) }] },
            {
                "extension": [{ "url": SERVICE_TYPE_R5,
                    "valueReference": { "reference": format!("HealthcareService/{}", cpts_id(cpts)) } }],
                "coding": [{ "system": nos("R66-CategorieEtablissement"), "code": CPTS_CATEGORY }],
            },
        ],
        "appointmentType": { "coding": [{ "system": APPOINTMENT_REASONS, "code": "ROUTINE" }] },
        "schedule": { "reference": format!("Schedule/{}", schedule_id(slot)) },
        "status": "free",
        "start": paris_rfc3339(slot.start_at),
        "end": paris_rfc3339(slot.end_at),
        "comment": booking_url,
    });
    if !slot.specialty.is_empty() {
        resource["specialty"] = json!([{ "coding": [{ "system": nos("R38-SpecialiteOrdinale"), "code": slot.specialty }] }]);
    }
    resource
}

/// The schedule of a place: its professional and their role there.
pub fn schedule(slot: &SlotRow) -> Value {
    json!({
        "resourceType": "Schedule",
        "id": schedule_id(slot),
        "meta": { "profile": [format!("{SAS_OLD}/FrScheduleAgregateur")] },
        "actor": [
            { "reference": format!("Practitioner/{}", slot.national_id) },
            { "reference": format!("PractitionerRole/{}", schedule_id(slot)) },
        ],
    })
}

pub fn practitioner(slot: &SlotRow) -> Value {
    json!({
        "resourceType": "Practitioner",
        "id": slot.national_id,
        "meta": { "profile": [format!("{SAS_OLD}/FrPractitionerAgregateur")] },
        "identifier": [{
            "type": { "coding": [{ "system": ID_TYPES_V2, "code": "IDNPS" }] },
            "system": IDNPS_SYSTEM,
            "value": slot.national_id,
        }],
        "name": [name(&slot.last_name, &slot.first_name)],
    })
}

/// A FHIR string is never empty: a part missing from the directory is left out.
fn name(family: &str, given: &str) -> Value {
    let mut name = json!({ "family": family });
    if !given.is_empty() {
        name["given"] = json!([given]);
    }
    name
}

/// The address of a place; the places offered for unscheduled care have their street
/// and postcode (see `places::place_of_site`), and an empty part is left out.
fn address(slot: &SlotRow) -> Value {
    let mut address = json!({ "city": slot.commune_name });
    if !slot.street.is_empty() {
        address["line"] = json!([slot.street]);
    }
    if !slot.postcode.is_empty() {
        address["postalCode"] = json!(slot.postcode);
    }
    address
}

/// The professional at one place, the place contained; `base` names our own identifiers.
pub fn practitioner_role(slot: &SlotRow, base: &str) -> Value {
    let mut resource = json!({
        "resourceType": "PractitionerRole",
        "id": schedule_id(slot),
        "meta": { "profile": [format!("{SAS_OLD}/FrPractitionerRoleExerciceAgregateur")] },
        "contained": [{
            "resourceType": "Location",
            "id": "lieu",
            "meta": { "profile": [format!("{SAS_OLD}/FrLocationAgregateur")] },
            "identifier": [{
                "type": { "coding": [{ "system": LOCATION_ID_TYPES, "code": "INTRN" }] },
                "system": format!("{base}/lieux"),
                "value": slot.place_id.to_string(),
            }],
            "name": slot.place_name,
            "address": address(slot),
        }],
        "practitioner": { "reference": format!("Practitioner/{}", slot.national_id) },
        "location": [{ "reference": "#lieu" }],
    });
    if !slot.finess.is_empty() {
        resource["organization"] = json!({ "identifier": {
            "type": { "coding": [{ "system": ID_TYPES_V2, "code": "IDNST" }] },
            "system": IDNST_SYSTEM,
            "value": format!("1{}", slot.finess),
        } });
    }
    if let Some(phone) = international(&slot.place_phone) {
        resource["telecom"] = json!([{ "system": "phone", "value": phone }]);
    }
    resource
}

/// The CPTS as the service through which the slot is offered.
pub fn healthcare_service(cpts: &CptsRow) -> Value {
    json!({
        "resourceType": "HealthcareService",
        "id": cpts_id(cpts),
        "meta": { "profile": [format!("{SAS}/sas-cpts-healthcareservice-aggregator")] },
        "providedBy": { "reference": format!("Organization/{}", cpts_id(cpts)) },
        "name": cpts.name,
    })
}

/// The CPTS as an organisation: its FINESS number (prefixed `1`; the search answers no
/// Bundle for a CPTS without one, see `sas_identity_gap`), name and phone.
pub fn organization(cpts: &CptsRow) -> Value {
    let mut resource = json!({
        "resourceType": "Organization",
        "id": cpts_id(cpts),
        "meta": { "profile": [format!("{SAS}/sas-cpts-organization-aggregator")] },
        "identifier": [{
            "type": { "coding": [{ "system": ID_TYPES_CORE, "code": "IDNST" }] },
            "system": IDNST_SYSTEM,
            "value": format!("1{}", cpts.finess),
        }],
        "name": cpts.name,
    });
    if let Some(phone) = international(&cpts.phone) {
        resource["telecom"] = json!([{ "system": "phone", "value": phone }]);
    }
    resource
}
