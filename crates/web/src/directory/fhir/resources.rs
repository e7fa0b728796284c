//! The directory as FHIR R4 resources following the ANS Annuaire profiles for public data
//! (`as-dp-practitioner`, `as-dp-practitionerrole`, `as-dp-organization`, over FR Core):
//! identifiers with their national systems, codings from the NOS code lists.

use maillage_domain::directory::codes::{PROFESSIONS, SECTORS, SPECIALTIES};
use maillage_store::directory::read::{ProfessionalRow, SiteRow, StructureRow};
use serde_json::{Value, json};

const ANNUAIRE: &str = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition";
const FR_CORE: &str = "https://hl7.fr/ig/fhir/core/StructureDefinition";
const ID_TYPES: &str = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
pub use maillage_domain::unscheduled_care::sas::IDNPS_SYSTEM;
pub const IDNST_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.2";
pub const RPPS_SYSTEM: &str = "https://rpps.esante.gouv.fr";
const FINESS_SYSTEM: &str = "https://finess.esante.gouv.fr";
const SIRENE_SYSTEM: &str = "https://sirene.fr";
/// Our own identifier of a practice situation (the extraction does not publish one).
const SITUATION_SYSTEM: &str = "urn:maillage:situation-exercice";
/// Marks what the synthetic generator made up.
const PROVENANCE_SYSTEM: &str = "urn:maillage:provenance";

/// The URL of a NOS code list as a FHIR CodeSystem, e.g. `nos("G15-ProfessionSante")`.
pub fn nos(list: &str) -> String {
    let (code, name) = list.split_once('-').expect("TRE id and name");
    format!("https://mos.esante.gouv.fr/NOS/TRE_{code}-{name}/FHIR/TRE-{code}-{name}")
}

fn iso(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn meta(profiles: [String; 2], updated_at: i64, synthetic: bool) -> Value {
    let mut meta = json!({ "profile": profiles, "lastUpdated": iso(updated_at) });
    if synthetic {
        meta["tag"] = json!([{ "system": PROVENANCE_SYSTEM, "code": "synthetique",
            "display": "Données synthétiques, générées pour la démonstration" }]);
    }
    meta
}

fn identifier(kind: &str, system: &str, value: &str) -> Value {
    json!({ "use": "official", "type": { "coding": [{ "system": ID_TYPES, "code": kind }] },
        "system": system, "value": value })
}

fn coding(list: &str, code: &str, display: Option<&str>) -> Value {
    let mut c = json!({ "system": nos(list), "code": code });
    if let Some(d) = display {
        c["display"] = json!(d);
    }
    c
}

pub fn practitioner(p: &ProfessionalRow, mssante: Option<&str>) -> Value {
    let mut identifiers = vec![identifier("IDNPS", IDNPS_SYSTEM, &p.national_id)];
    if p.id_type == "8" {
        identifiers.push(identifier("RPPS", RPPS_SYSTEM, &p.identifier));
    }
    let mut name = json!({ "use": "usual", "family": p.last_name, "given": [p.first_name] });
    if !p.title.is_empty() {
        name["suffix"] = json!([p.title]);
    }
    let mut qualifications = vec![json!({ "code": { "coding": [
        coding("G15-ProfessionSante", &p.profession, PROFESSIONS.label(&p.profession)),
        coding("R09-CategorieProfessionnelle", &p.category, None),
    ] } })];
    if !p.specialty.is_empty() {
        qualifications.push(json!({ "code": { "coding": [
            coding("R04-TypeSavoirFaire", "S", None),
            coding("R38-SpecialiteOrdinale", &p.specialty, SPECIALTIES.label(&p.specialty)),
        ] } }));
    }
    let mut resource = json!({
        "resourceType": "Practitioner",
        "id": p.national_id,
        "meta": meta([format!("{FR_CORE}/fr-core-practitioner"), format!("{ANNUAIRE}/as-dp-practitioner")],
            p.updated_at, p.synthetic),
        "identifier": identifiers,
        "active": p.active,
        "name": [name],
        "qualification": qualifications,
    });
    if let Some(address) = mssante.filter(|m| !m.is_empty()) {
        resource["telecom"] = json!([{ "system": "email", "value": address }]);
    }
    resource
}

/// The id of a practice situation: the professional's national id and the site's rank.
pub fn role_id(site: &SiteRow) -> String {
    format!("{}-{}", site.national_id, site.position)
}

/// The id of the structure a site belongs to, if it names one.
pub fn organization_id(siret: &str, finess: &str) -> Option<String> {
    if !siret.is_empty() {
        Some(format!("siret-{siret}"))
    } else if !finess.is_empty() {
        Some(format!("finess-{finess}"))
    } else {
        None
    }
}

pub fn practitioner_role(site: &SiteRow) -> Value {
    let mut codes = Vec::new();
    if !site.activity_kind.is_empty() {
        codes.push(json!({ "coding": [coding("R22-GenreActivite", &site.activity_kind, None)] }));
    }
    if !site.mode.is_empty() {
        codes.push(json!({ "coding": [coding("R23-ModeExercice", &site.mode, None)] }));
    }
    let mut resource = json!({
        "resourceType": "PractitionerRole",
        "id": role_id(site),
        "meta": meta([format!("{FR_CORE}/fr-core-practitioner-role"), format!("{ANNUAIRE}/as-dp-practitionerrole")],
            site.updated_at, site.synthetic),
        "identifier": [{ "system": SITUATION_SYSTEM, "value": role_id(site) }],
        "active": site.active,
        "practitioner": { "reference": format!("Practitioner/{}", site.national_id) },
        "code": codes,
    });
    if let Some(org) = organization_id(&site.siret, &site.finess) {
        resource["organization"] = json!({ "reference": format!("Organization/{org}") });
    }
    if let Some(phone) = site.colleague_phone.as_deref().filter(|p| !p.is_empty()) {
        resource["telecom"] = json!([{ "system": "phone", "value": phone }]);
    }
    resource
}

pub fn organization(s: &StructureRow) -> Value {
    let mut identifiers = Vec::new();
    if !s.siret.is_empty() {
        identifiers.push(identifier("IDNST", IDNST_SYSTEM, &format!("3{}", s.siret)));
        identifiers.push(identifier("SIRET", SIRENE_SYSTEM, &s.siret));
    } else {
        identifiers.push(identifier("IDNST", IDNST_SYSTEM, &format!("1{}", s.finess)));
    }
    if !s.finess.is_empty() {
        identifiers.push(identifier("FINEG", FINESS_SYSTEM, &s.finess));
    }
    let id = organization_id(&s.siret, &s.finess).unwrap_or_default();
    let mut resource = json!({
        "resourceType": "Organization",
        "id": id,
        "meta": meta([format!("{FR_CORE}/fr-core-organization"), format!("{ANNUAIRE}/as-dp-organization")],
            s.updated_at, s.siret.starts_with("999")),
        "identifier": identifiers,
        "active": true,
        "name": s.name,
        "address": [{ "line": [s.street], "postalCode": s.postcode, "city": s.commune_name }],
    });
    if !s.sector.is_empty() {
        resource["type"] = json!([{ "coding": [coding("R02-SecteurActivite", &s.sector, SECTORS.label(&s.sector))] }]);
    }
    with_finess_details(&mut resource, s);
    resource
}

/// An establishment known to the FINESS file is named, typed, placed and reached as the
/// file says; the name its professionals declare stays as an alias.
fn with_finess_details(resource: &mut Value, s: &StructureRow) {
    let e = &s.establishment;
    let Some(name) = e.finess_name.as_deref().filter(|n| !n.is_empty()) else {
        return;
    };
    resource["name"] = json!(name);
    if name != s.name {
        resource["alias"] = json!([s.name]);
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    resource["address"] = json!([{
        "line": [text(&e.finess_street)],
        "postalCode": text(&e.finess_postcode),
        "city": text(&e.finess_city),
    }]);
    if let Some(category) = e.finess_category.as_deref().filter(|c| !c.is_empty()) {
        let category = coding(
            "R66-CategorieEtablissement",
            category,
            e.finess_category_label.as_deref(),
        );
        let mut types = resource["type"].as_array().cloned().unwrap_or_default();
        types.push(json!({ "coding": [category] }));
        resource["type"] = json!(types);
    }
    if let Some(phone) = e.finess_phone.as_deref().filter(|p| !p.is_empty()) {
        resource["telecom"] = json!([{ "system": "phone", "value": phone }]);
    }
}
