//! The "Annuaire" pages: searching the professionals of the directory (plain GET form,
//! paginated, CSV export of the same search) and one professional's page with all their
//! practice sites. Synthetic data is labelled as such wherever it shows.

use crate::csv_download::attachment;
use crate::html::layout;
use crate::html::{Layout, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use maillage_domain::FieldErrors;
use maillage_domain::directory::codes::{MODES, PROFESSIONS, SPECIALTIES};
use maillage_domain::directory::general_practice::{GENERAL_PRACTITIONER_CHOICE, PHYSICIAN};
use maillage_domain::directory::title_abbreviation;
use maillage_domain::territory::of_place;
use maillage_services::directory::search::{
    self, EXPORT_LIMIT, Found, PAGE_SIZE, SearchRequest, SearchResults,
};
use maillage_services::platform::auth::Session;
use maillage_services::{ServiceError, csv_export};
use maillage_store::directory::search::SiteHit;
use serde::Deserialize;

/// The search form's fields, as they appear in the URL.
#[derive(Deserialize, Default, Clone)]
pub struct SearchForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    specialite: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    rayon: String,
    adherents: Option<String>,
    nouveaux_patients: Option<String>,
    snp: Option<String>,
    page: Option<i64>,
}

impl SearchForm {
    fn request(&self, per_page: i64) -> SearchRequest {
        SearchRequest {
            name: self.nom.clone(),
            profession: self.profession.clone(),
            specialty: self.specialite.clone(),
            commune: self.commune.clone(),
            radius_km: self.rayon.clone(),
            members_only: self.adherents.is_some(),
            accepts_new_patients: self.nouveaux_patients.is_some(),
            unscheduled_care: self.snp.is_some(),
            page: self.page.unwrap_or(1),
            per_page,
        }
    }

    fn is_empty(&self) -> bool {
        self.nom.is_empty()
            && self.profession.is_empty()
            && self.specialite.is_empty()
            && self.commune.is_empty()
            && self.adherents.is_none()
            && self.nouveaux_patients.is_none()
            && self.snp.is_none()
    }

    /// This search's query string for another page (or the export, with `page` 0).
    fn query_for(&self, page: i64) -> String {
        let mut pairs = vec![
            ("nom", self.nom.clone()),
            ("profession", self.profession.clone()),
            ("specialite", self.specialite.clone()),
            ("commune", self.commune.clone()),
            ("rayon", self.rayon.clone()),
        ];
        for (key, set) in [
            ("adherents", &self.adherents),
            ("nouveaux_patients", &self.nouveaux_patients),
            ("snp", &self.snp),
        ] {
            if set.is_some() {
                pairs.push((key, "on".to_owned()));
            }
        }
        if page > 0 {
            pairs.push(("page", page.to_string()));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A site as a row of the results.
pub struct Line {
    professional_id: i64,
    name: String,
    profession: String,
    mode: String,
    place: String,
    commune: String,
    distance: String,
    phone: String,
    member: bool,
    accepts_new_patients: bool,
    unscheduled_care: bool,
    synthetic: bool,
}

fn profession_label(site: &SiteHit) -> String {
    let profession = PROFESSIONS
        .label(&site.profession)
        .unwrap_or(&site.profession);
    match SPECIALTIES.label(&site.specialty) {
        Some(specialty) if !site.specialty.is_empty() => format!("{profession} · {specialty}"),
        _ => profession.to_owned(),
    }
}

/// Title, first name and last name, those given: no stray space before a name without a
/// first name, which would also hide from the CSV export that `-CALISSON` starts like a
/// formula.
fn full_name(site: &SiteHit) -> String {
    [
        title_abbreviation(&site.title),
        &site.first_name,
        &site.last_name,
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

fn line(found: &Found) -> Line {
    let site = &found.site;
    Line {
        professional_id: site.professional_id,
        name: full_name(site),
        profession: profession_label(site),
        mode: MODES.label(&site.mode).unwrap_or("").to_owned(),
        place: [site.structure_name.as_str(), site.street.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        commune: format!("{} {}", site.postcode, site.commune_name)
            .trim()
            .to_owned(),
        distance: found
            .distance_km
            .map(|d| format!("{:.1} km", d).replace('.', ","))
            .unwrap_or_default(),
        phone: site.phone.clone(),
        member: site.member_id.is_some(),
        accepts_new_patients: site.accepts_new_patients == Some(1),
        unscheduled_care: site.unscheduled_care == Some(1),
        synthetic: site.synthetic,
    }
}

#[derive(Template)]
#[template(path = "directory/directory.html")]
struct DirectoryPage {
    layout: Layout,
    form: SearchForm,
    searched: bool,
    lines: Vec<Line>,
    total: i64,
    page: i64,
    pages: i64,
    around: String,
    previous: String,
    next: String,
    export: String,
    /// This search and page, carried to a professional's page so that it leads back here.
    search: String,
    any_synthetic: bool,
    in_cpts: bool,
    professions: Vec<(&'static str, String)>,
    specialties: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

/// What an export of a search finding `total` sites holds, when it cannot hold them all.
fn export_note(total: i64) -> String {
    if total > EXPORT_LIMIT {
        format!(
            " : les {EXPORT_LIMIT} premiers lieux sur {total} ; précisez la recherche pour les autres."
        )
    } else {
        String::new()
    }
}

impl DirectoryPage {
    fn export_note(&self) -> String {
        export_note(self.total)
    }

    /// « dans un rayon de 10 km autour d’Aix-en-Provence », or « dans la commune d’Aix… »
    /// without a radius: the place searched, as French writes it.
    fn around_place(&self) -> String {
        let place = of_place(&self.around);
        match self.form.rayon.trim() {
            "" => format!("dans la commune {place}"),
            km => format!("dans un rayon de {km} km autour {place}"),
        }
    }
}

/// `GET /annuaire`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(form): Query<SearchForm>,
) -> PageResult {
    let searched = !form.is_empty();
    let (results, errors) = if searched {
        match search::search(&state.app, &session.actor, &form.request(PAGE_SIZE)).await {
            Ok(r) => (Some(r), FieldErrors::new()),
            Err(ServiceError::Invalid(errors)) => (None, errors),
            Err(error) => return Err(error.into()),
        }
    } else {
        (None, FieldErrors::new())
    };
    let SearchResults {
        found,
        total,
        page,
        pages,
        around,
    } = results.unwrap_or(SearchResults {
        found: Vec::new(),
        total: 0,
        page: 1,
        pages: 1,
        around: None,
    });
    let lines: Vec<Line> = found.iter().map(line).collect();
    let link = |p: i64| format!("/annuaire?{}", form.query_for(p));
    let page_view = DirectoryPage {
        layout: layout(&state, &session, "Annuaire", "/annuaire").await,
        searched,
        any_synthetic: lines.iter().any(|l| l.synthetic),
        lines,
        total,
        page,
        pages,
        around: around.unwrap_or_default(),
        previous: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next: if page < pages {
            link(page + 1)
        } else {
            String::new()
        },
        export: format!("/annuaire.csv?{}", form.query_for(0)),
        search: form.query_for(page),
        in_cpts: session.actor.cpts_id.is_some(),
        professions: profession_choices(),
        specialties: SPECIALTIES
            .entries()
            .map(|(c, l)| (c, l.to_owned()))
            .collect(),
        form,
        errors,
    };
    Ok(render_form(&page_view, &page_view.errors))
}

/// The professions the search offers, « Médecin généraliste » (any specialty of general
/// practice) right after « Médecin ».
fn profession_choices() -> Vec<(&'static str, String)> {
    let mut choices = Vec::new();
    for (code, label) in PROFESSIONS.entries() {
        choices.push((code, label.to_owned()));
        if code == PHYSICIAN {
            choices.push((
                GENERAL_PRACTITIONER_CHOICE,
                "Médecin généraliste".to_owned(),
            ));
        }
    }
    choices
}

/// `GET /annuaire.csv`: the same search, every site up to the export limit.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(form): Query<SearchForm>,
) -> PageResult {
    let mut request = form.request(EXPORT_LIMIT);
    request.page = 1;
    let results = search::search(&state.app, &session.actor, &request).await?;
    let header = [
        "RPPS",
        "Nom",
        "Profession",
        "Mode d'exercice",
        "Lieu",
        "Commune",
        "Distance",
        "Téléphone",
        "Adhérent",
        "Nouveaux patients",
        "Soins non programmés",
        "Données",
    ];
    let yes = |b: bool| if b { "oui" } else { "" }.to_owned();
    let records = results.found.iter().map(|found| {
        let l = line(found);
        [
            found.site.identifier.clone(),
            l.name,
            l.profession,
            l.mode,
            l.place,
            l.commune,
            l.distance,
            l.phone,
            yes(l.member),
            yes(l.accepts_new_patients),
            yes(l.unscheduled_care),
            if l.synthetic {
                "synthétiques"
            } else {
                "Annuaire Santé"
            }
            .to_owned(),
        ]
    });
    Ok(attachment(
        "annuaire.csv",
        csv_export::table(&header, records),
    ))
}

#[derive(Template)]
#[template(path = "directory/professional.html")]
struct ProfessionalPage {
    layout: Layout,
    name: String,
    profession: String,
    identifier: String,
    synthetic: bool,
    sites: Vec<Line>,
    professional_id: i64,
    /// Its member id in the person's CPTS, if a member.
    member_id: Option<i64>,
    /// Whether the person may add it as a member (a coordinator, it not yet a member).
    may_add: bool,
    /// The directory's search this page was opened from, to go back to.
    back: String,
}

/// `GET /annuaire/professionnels/{id}?…`: the search it was opened from comes along, so
/// that « Retour à l’annuaire » finds it again.
pub async fn professional(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Query(from): Query<SearchForm>,
) -> PageResult {
    let sites = search::professional(&state.app, &session.actor, id).await?;
    let first = &sites[0];
    let name = full_name(first);
    let coordinator = session.actor.role == maillage_domain::Role::Coordinator;
    let page = ProfessionalPage {
        professional_id: first.professional_id,
        member_id: first.member_id,
        back: if from.is_empty() {
            "/annuaire".to_owned()
        } else {
            format!("/annuaire?{}", from.query_for(from.page.unwrap_or(0)))
        },
        may_add: coordinator && first.member_id.is_none(),
        layout: layout(&state, &session, &name, "/annuaire").await,
        profession: profession_label(first),
        identifier: first.identifier.clone(),
        synthetic: first.synthetic,
        sites: sites
            .iter()
            .map(|site| {
                line(&Found {
                    site: site.clone(),
                    distance_km: None,
                })
            })
            .collect(),
        name,
    };
    Ok(render(&page))
}

#[cfg(test)]
mod tests {
    use super::{EXPORT_LIMIT, export_note};

    #[test]
    fn an_export_that_cannot_hold_every_site_says_so() {
        assert_eq!(export_note(EXPORT_LIMIT), "");
        assert_eq!(
            export_note(14_275),
            " : les 5000 premiers lieux sur 14275 ; précisez la recherche pour les autres."
        );
    }
}
