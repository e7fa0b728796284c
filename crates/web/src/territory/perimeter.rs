//! The territory pages: a CPTS's perimeter for its members ("Territoire"), and the
//! administrator's perimeter editor (find communes by name, postcode or code; add whole
//! EPCI; see the running population total and the communes another CPTS also covers).

use crate::html::layout;
use crate::html::{Layout, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_services::platform::auth::Session;
use maillage_services::territory::{self, Perimeter, Selection};
use maillage_services::{ServiceError, territory::cpts};
use maillage_store::territory::reference::{CommuneRow, EpciSummary};
use serde::Deserialize;

mod filters {
    /// An integer written the French way: `1 939 077` (narrow no-break spaces).
    pub fn thousands(value: &i64, _: &dyn askama::Values) -> askama::Result<String> {
        let digits = value.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{202F}');
            }
            out.push(digit);
        }
        Ok(if *value < 0 { format!("-{out}") } else { out })
    }
}

#[derive(Template)]
#[template(path = "territory/territory.html")]
struct TerritoryPage {
    layout: Layout,
    perimeter: Option<Perimeter>,
    /// For an administrator of the host: every CPTS (slug, name).
    all_cpts: Vec<(String, String)>,
    /// Whether the perimeter table has remove buttons (never on this page).
    editable: bool,
    query: String,
}

/// `GET /territoire`: the perimeter of the person's CPTS (the list of CPTS for the host's
/// administrators).
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    let actor = &session.actor;
    let own = match actor.cpts_id {
        Some(id) => cpts::by_id(&state.app, id).await.ok().flatten(),
        None => None,
    };
    let perimeter = match own {
        Some(row) => Some(territory::show(&state.app, Some(actor), &row.slug).await?),
        None => None,
    };
    let all_cpts = if actor.is_admin() {
        let list = cpts::list(&state.app, actor).await?;
        list.into_iter().map(|c| (c.slug, c.name)).collect()
    } else {
        Vec::new()
    };
    Ok(render(&TerritoryPage {
        layout: layout(&state, &session, "Territoire", "/territoire").await,
        perimeter,
        all_cpts,
        editable: false,
        query: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "territory/perimeter_admin.html")]
struct PerimeterAdminPage {
    layout: Layout,
    perimeter: Perimeter,
    query: String,
    results: Vec<CommuneRow>,
    epcis: Vec<EpciSummary>,
    form_epci: String,
    errors: FieldErrors,
    editable: bool,
}

impl PerimeterAdminPage {
    fn in_perimeter(&self, insee: &str) -> bool {
        self.perimeter.communes.iter().any(|c| c.insee == insee)
    }
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn admin_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    query: String,
    form_epci: String,
    errors: FieldErrors,
) -> PageResult {
    if !session.actor.is_admin() {
        return Err(ServiceError::NotFound.into());
    }
    let perimeter = territory::show(&state.app, Some(&session.actor), slug).await?;
    let (results, epcis) = (
        territory::find_communes(&state.app, &query).await?,
        territory::find_epcis(&state.app, &query).await?,
    );
    let title = format!("Périmètre de {}", perimeter.name);
    let page = PerimeterAdminPage {
        layout: layout(state, session, &title, "").await,
        perimeter,
        query,
        results,
        epcis,
        form_epci,
        errors,
        editable: true,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /administration/cpts/{slug}/perimetre?q=…`
pub async fn edit(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Query(search): Query<SearchQuery>,
) -> PageResult {
    admin_page(
        &state,
        &session,
        &slug,
        search.q,
        String::new(),
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    insee: String,
    #[serde(default)]
    epci: String,
    #[serde(default)]
    q: String,
}

/// Applies `change` to the current perimeter's codes and saves the result.
async fn change(
    state: &AppState,
    session: &Session,
    slug: &str,
    form: ChangeForm,
    change: impl FnOnce(&mut Selection),
) -> PageResult {
    let actor = Some(&session.actor);
    if !session.actor.is_admin() {
        return Err(ServiceError::NotFound.into());
    }
    let current = territory::show(&state.app, actor, slug).await?;
    let mut selection = Selection {
        communes: current.communes.into_iter().map(|c| c.insee).collect(),
        epcis: Vec::new(),
    };
    change(&mut selection);
    match territory::set(&state.app, actor, slug, &selection).await {
        Ok(_) => {
            let query = serde_urlencoded::to_string([("q", &form.q)]).unwrap_or_default();
            let back = format!("/administration/cpts/{slug}/perimetre?{query}");
            Ok(Redirect::to(&back).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            admin_page(state, session, slug, form.q, form.epci, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /administration/cpts/{slug}/perimetre/ajout`: a commune (`insee`) or an EPCI.
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    let (insee, epci) = (form.insee.clone(), form.epci.clone());
    change(&state, &session, &slug, form, |s| {
        s.communes.push(insee);
        s.epcis.push(epci);
    })
    .await
}

/// `POST /administration/cpts/{slug}/perimetre/retrait`: one commune.
pub async fn remove(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    let insee = form.insee.clone();
    change(&state, &session, &slug, form, |s| {
        s.communes.retain(|c| *c != insee)
    })
    .await
}
