//! The refusals any operation of the API may answer, declared once in its OpenAPI document:
//! each is a shared response of the components, referred to by every operation it applies
//! to (400 and 401 by all, 413, 415 and 422 by those with a body, 404 by those with a path
//! parameter) unless the operation declares it itself.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// A shared refusal: its status, the name of its component and what it says.
struct Refusal {
    status: &'static str,
    name: &'static str,
    description: &'static str,
    applies: fn(&Operation) -> bool,
}

fn always(_: &Operation) -> bool {
    true
}

fn has_body(operation: &Operation) -> bool {
    operation.request_body.is_some()
}

fn has_path_parameter(operation: &Operation) -> bool {
    let parameters = operation.parameters.iter().flatten();
    parameters
        .into_iter()
        .any(|p| p.parameter_in == ParameterIn::Path)
}

const REFUSALS: [Refusal; 6] = [
    Refusal {
        status: "400",
        name: "RequeteInvalide",
        description: "Requête invalide : l’adresse, un de ses paramètres ou le corps JSON est mal formé (champ nommé dans errors)",
        applies: always,
    },
    Refusal {
        status: "401",
        name: "AuthentificationRequise",
        description: "Jeton personnel absent, inconnu ou révoqué",
        applies: always,
    },
    Refusal {
        status: "404",
        name: "Introuvable",
        description: "Introuvable, ou hors de la CPTS du jeton",
        applies: has_path_parameter,
    },
    Refusal {
        status: "413",
        name: "CorpsTropVolumineux",
        description: "Corps de requête trop volumineux (detail dit la limite)",
        applies: has_body,
    },
    Refusal {
        status: "415",
        name: "TypeNonPrisEnCharge",
        description: "Corps envoyé sans l’en-tête Content-Type: application/json",
        applies: has_body,
    },
    Refusal {
        status: "422",
        name: "DonneesInvalides",
        description: "Données invalides : chaque champ en cause est nommé dans errors",
        applies: has_body,
    },
];

/// Adds the shared refusals to the document's components and to each operation.
pub struct SharedRefusals;

impl utoipa::Modify for SharedRefusals {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for refusal in &REFUSALS {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            let response = ResponseBuilder::new()
                .description(refusal.description)
                .content("application/problem+json", content)
                .build();
            components
                .responses
                .insert(refusal.name.to_owned(), RefOr::T(response));
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let applying: Vec<&Refusal> =
                    REFUSALS.iter().filter(|r| (r.applies)(operation)).collect();
                let responses = &mut operation.responses.responses;
                for refusal in applying {
                    let shared = RefOr::Ref(Ref::from_response_name(refusal.name));
                    responses.entry(refusal.status.to_owned()).or_insert(shared);
                }
            }
        }
    }
}
