//! The SAS slot search (`GET /fhir/r4/Slot`, guide `ans.fhir.fr.sas` 1.2.0, CPTS flow), on
//! both databases, checked as the SAS test kit checks an answer: one searchset Bundle of
//! the free slots with their Schedule, Practitioner, PractitionerRole (the place
//! contained), and the CPTS as HealthcareService and Organization, relative references
//! that resolve, prefixed national identifiers, the query repeated in the `self` link;
//! then the booking address of a slot, followed by a regulator (logging in on the way),
//! books it.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, publish, site, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, api_get, both, location, token_of};
use maillage_services::unscheduled_care::availability;
use maillage_services::{Actor, ServiceError, territory::cpts};
use reqwest::StatusCode;
use serde_json::Value;

const RESTANQUE: &str = "urn:oid:1.2.250.1.71.4.2.1|810000000074";

fn search(identifiers: &str) -> String {
    format!(
        "_include=Slot:schedule&_include:iterate=Schedule:actor\
         &_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization\
         &start=ge2027-01-15T14:00:00.000&start=le2027-01-16T23:59:00.000%2B01:00\
         &schedule.actor:Practitioner.identifier={identifiers}&status=free"
    )
}

/// The resources of a Bundle of one type.
fn of_type<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| &e["resource"])
                .filter(|r| r["resourceType"] == kind)
                .collect()
        })
        .unwrap_or_default()
}

async fn slots(t: &TestApp, token: &str, query: &str) -> (StatusCode, Value) {
    let answer = api_get(t, &format!("/fhir/r4/Slot?{query}"), token).await;
    let status = answer.status();
    let content_type = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/fhir+json"),
        "{content_type}"
    );
    (status, answer.json().await.unwrap())
}

both!(the_sas_finds_a_gps_free_slots_and_books_one);
async fn the_sas_finds_a_gps_free_slots_and_books_one(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    cpts::set_identity(&t.app, &coord, "a", "130000000", "04 42 00 00 00")
        .await
        .unwrap();
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let token = token_of(&t, "regul@a.fr").await;

    let query = search(RESTANQUE);
    let (status, bundle) = slots(&t, &token, &query).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bundle["type"], "searchset");
    assert_eq!(
        bundle["meta"]["profile"][0],
        "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator"
    );
    let link = bundle["link"].as_array().unwrap();
    assert_eq!(link.len(), 1);
    assert!(
        link[0]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/fhir/r4/Slot?{query}"))
    );
    let found = of_type(&bundle, "Slot");
    assert_eq!(found.len(), 4, "Friday 14:00 to 16:00, nothing on Saturday");
    assert_eq!(bundle["total"], 4);

    let (schedules, practitioners, roles, services, organizations) = (
        of_type(&bundle, "Schedule"),
        of_type(&bundle, "Practitioner"),
        of_type(&bundle, "PractitionerRole"),
        of_type(&bundle, "HealthcareService"),
        of_type(&bundle, "Organization"),
    );
    for list in [
        &schedules,
        &practitioners,
        &roles,
        &services,
        &organizations,
    ] {
        assert_eq!(list.len(), 1);
    }
    let (schedule, practitioner, role, service, organization) = (
        schedules[0],
        practitioners[0],
        roles[0],
        services[0],
        organizations[0],
    );
    let reference = |r: &Value| {
        format!(
            "{}/{}",
            r["resourceType"].as_str().unwrap(),
            r["id"].as_str().unwrap()
        )
    };

    let identifier = &practitioner["identifier"][0];
    assert_eq!(identifier["system"], "urn:oid:1.2.250.1.71.4.2.1");
    assert_eq!(identifier["value"], "810000000074");
    assert_eq!(identifier["type"]["coding"][0]["code"], "IDNPS");
    assert_eq!(practitioner["name"][0]["family"], "RESTANQUE");
    let actors: Vec<&str> = schedule["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reference"].as_str().unwrap())
        .collect();
    assert!(actors.contains(&reference(practitioner).as_str()));
    assert!(actors.contains(&reference(role).as_str()));
    assert_eq!(role["practitioner"]["reference"], reference(practitioner));
    let place = &role["contained"][0];
    assert_eq!(
        role["location"][0]["reference"],
        format!("#{}", place["id"].as_str().unwrap())
    );
    assert_eq!(place["address"]["city"], "Cabriès");
    let postcode = place["address"]["postalCode"].as_str().unwrap();
    assert!(postcode.len() == 5 && postcode.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(service["providedBy"]["reference"], reference(organization));
    // The identifier types as the profiles' patterns give them (the guide's prose differs).
    let organization_id = &organization["identifier"][0];
    assert_eq!(organization_id["value"], "1130000000");
    assert_eq!(organization_id["system"], "urn:oid:1.2.250.1.71.4.2.2");
    assert_eq!(
        organization_id["type"]["coding"][0]["system"],
        "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
    );
    assert_eq!(
        identifier["type"]["coding"][0]["system"],
        "http://interopsante.org/fhir/CodeSystem/fr-v2-0203"
    );
    assert_eq!(
        organization["meta"]["profile"][0],
        "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-organization-aggregator"
    );
    assert_eq!(organization["telecom"][0]["value"], "+33442000000");

    for slot in &found {
        assert_eq!(slot["status"], "free");
        assert_eq!(slot["schedule"]["reference"], reference(schedule));
        assert_eq!(slot["meta"]["security"][0]["code"], "SNP");
        assert_eq!(slot["appointmentType"]["coding"][0]["code"], "ROUTINE");
        assert_eq!(slot["serviceType"][0]["coding"][0]["code"], "AMB");
        let cpts_type = &slot["serviceType"][1];
        assert_eq!(cpts_type["coding"][0]["code"], "604");
        assert_eq!(
            cpts_type["coding"][0]["system"],
            "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
        );
        assert_eq!(
            cpts_type["extension"][0]["valueReference"]["reference"],
            reference(service)
        );
        assert!(slot["start"].as_str().unwrap() < slot["end"].as_str().unwrap());
    }
    assert_eq!(found[0]["start"], "2027-01-15T14:00:00+01:00");

    // The regulator follows the first slot's address and books it with the call.
    let booking_url = found[0]["comment"].as_str().unwrap();
    let path = &booking_url[booking_url.find("/soins-non-programmes").unwrap()..];
    // Not logged in yet: the login comes first, then that very page.
    let regulator = t.client();
    let anonymous = regulator.get(t.url(path)).send().await.unwrap();
    assert_eq!(location(&anonymous), "/connexion");
    t.login(&regulator, "regul@a.fr", PASSWORD).await;
    let home = regulator.get(t.url("/")).send().await.unwrap();
    assert_eq!(location(&home), path);
    let home = regulator.get(t.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK, "once only");
    let form = t.page(&regulator, path).await;
    assert!(form.contains("id=\"creneau-choisi\"") && form.contains("ven. 15/01 14:00"));
    let slot_id = found[0]["id"].as_str().unwrap();
    let booked = t
        .post_form(
            &regulator,
            path,
            "/soins-non-programmes/demandes",
            &[
                ("slot_id", slot_id),
                ("caller", "regulation"),
                ("reason", "fever"),
                ("urgency", "today"),
                ("commune", "13001"),
                ("mobility", "mobile"),
                ("own_gp", "tried"),
                ("last_name", "Durand"),
                ("first_name", "Camille"),
                ("birth_date", "03/04/1985"),
                ("sex", "F"),
                ("phone", "0612345678"),
            ],
        )
        .await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let request = t.page(&regulator, &location(&booked)).await;
    assert!(request.contains("Rendez-vous pris"));
    assert!(
        request.contains("non transmis au SAS : ce serveur n’est relié à aucune plateforme SAS"),
        "this test's server has no SAS address"
    );
    // The SAS is told of it in the regulator's name, which they give on their account.
    let save_id = async |value: &str| {
        let fields = [("sas_operator_id", value)];
        let sent = t
            .post_form(&regulator, "/compte", "/compte/identifiant-sas", &fields)
            .await;
        sent.text().await.unwrap()
    };
    assert!(
        save_id("1234")
            .await
            .contains("Saisissez votre numéro RPPS")
    );
    let saved = save_id("10001234567").await;
    assert!(saved.contains("Votre identifiant pour le SAS est enregistré"));
    assert!(saved.contains("value=\"810001234567\""));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_requests WHERE channel = 'sas' AND status = 'booked'")
            .await,
        1
    );
    let (_, bundle) = slots(&t, &token, &query).await;
    assert_eq!(bundle["total"], 3, "the slot booked is no longer free");
    let again = t.page(&regulator, path).await;
    assert!(again.contains("n’est plus libre"));
}

both!(the_slot_search_refuses_what_it_cannot_answer_and_shows_only_what_it_may);
async fn the_slot_search_refuses_what_it_cannot_answer_and_shows_only_what_it_may(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    with_finess(&t, &coord, "a").await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let token = token_of(&t, "regul@a.fr").await;

    let many = vec!["810000000074"; 26].join(",");
    for (query, expected) in [
        (search(""), "De 1 à 25 identifiants"),
        (search(&many), "De 1 à 25 identifiants"),
        (
            search("urn:oid:1.2.3|810000000074"),
            "Système d’identifiant inconnu",
        ),
        (
            search(RESTANQUE).replace("&start=le2027-01-16T23:59:00.000%2B01:00", ""),
            "start",
        ),
        (
            search(RESTANQUE).replace("2027-01-16", "2027-03-16"),
            "31 jours",
        ),
        (
            search(RESTANQUE).replace("status=free", "status=busy"),
            "status=free",
        ),
    ] {
        let (status, answer) = slots(&t, &token, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer["resourceType"], "OperationOutcome");
        let message = answer["issue"][0]["diagnostics"].as_str().unwrap();
        assert!(message.contains(expected), "{message}");
    }

    // The RPPS without its prefix finds the same slots; nothing without a token.
    let (_, bundle) = slots(&t, &token, &search("10000000074")).await;
    assert_eq!(bundle["total"], 4);
    let anonymous = reqwest::get(t.url(&format!("/fhir/r4/Slot?{}", search(RESTANQUE))))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // A member does not see the regulation's slots; another CPTS's regulator sees none.
    let member = token_of(&t, "restanque@a.fr").await;
    let (_, bundle) = slots(&t, &member, &search(RESTANQUE)).await;
    assert_eq!(bundle["total"], 0);
    assert!(bundle.get("entry").is_none());
    // The Bundle profile wants at least four entries: an empty answer does not claim it.
    assert!(bundle.get("meta").is_none(), "{bundle}");
    t.cpts("b").await;
    t.user_named("coord@b.fr", "Bruno Coordinateur", "coordinator", "b")
        .await;
    with_finess(&t, &t.actor("coord@b.fr").await, "b").await;
    t.user("regul@b.fr", "regulator", "b").await;
    let other = token_of(&t, "regul@b.fr").await;
    let (_, bundle) = slots(&t, &other, &search(RESTANQUE)).await;
    assert_eq!(bundle["total"], 0);
}

/// The coordinator `coord` gives their CPTS `slug` a FINESS number the SAS guide accepts.
async fn with_finess(t: &TestApp, coord: &Actor, slug: &str) {
    cpts::set_identity(&t.app, coord, slug, "130000000", "")
        .await
        .unwrap();
}

both!(a_cpts_without_a_finess_the_guide_accepts_tells_the_sas_and_its_coordinator);
async fn a_cpts_without_a_finess_the_guide_accepts_tells_the_sas_and_its_coordinator(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    let token = token_of(&t, "regul@a.fr").await;
    let coordinator = t.client();
    t.login(&coordinator, "coord@a.fr", PASSWORD).await;
    // Before any slot is published as after, the answer says what is missing.
    for (finess, why, published) in [
        ("", "n’est pas renseigné", false),
        ("", "n’est pas renseigné", true),
        ("2B0000000", "2A ou 2B", true),
    ] {
        cpts::set_identity(&t.app, &coord, "a", finess, "")
            .await
            .unwrap();
        if published && finess.is_empty() {
            publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
        }
        let (status, answer) = slots(&t, &token, &search(RESTANQUE)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["resourceType"], "OperationOutcome");
        assert_eq!(answer["issue"][0]["code"], "business-rule");
        let message = answer["issue"][0]["diagnostics"].as_str().unwrap();
        assert!(
            message.starts_with("a : ") && message.contains(why),
            "{message}"
        );
        let page = t.page(&coordinator, "/cpts/a").await;
        assert!(
            page.contains(&format!(
                "Le SAS ne reçoit pas les créneaux de la CPTS : {}",
                &message["a : ".len()..]
            )),
            "the coordinator reads what the SAS is told"
        );
    }
    with_finess(&t, &coord, "a").await;
    let (status, bundle) = slots(&t, &token, &search(RESTANQUE)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bundle["total"], 4);
    let organization = of_type(&bundle, "Organization")[0];
    assert_eq!(organization["identifier"].as_array().unwrap().len(), 1);
    assert!(
        !t.page(&coordinator, "/cpts/a")
            .await
            .contains("sas-incomplet")
    );
}

both!(the_sas_is_sent_no_empty_string_and_places_only_with_their_address);
async fn the_sas_is_sent_no_empty_string_and_places_only_with_their_address(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    with_finess(&t, &coord, "a").await;
    let execute = async |sql: &str| {
        sqlx::query(sql)
            .bind("810000000074")
            .execute(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
    };
    // The RPPS gives some professionals no first name.
    execute("UPDATE professionals SET first_name = '' WHERE national_id = $1").await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let token = token_of(&t, "regul@a.fr").await;
    let (_, bundle) = slots(&t, &token, &search(RESTANQUE)).await;
    let name = &of_type(&bundle, "Practitioner")[0]["name"][0];
    assert_eq!(name["family"], "RESTANQUE");
    assert!(name.get("given").is_none(), "{name}");
    let address = &of_type(&bundle, "PractitionerRole")[0]["contained"][0]["address"];
    assert_eq!(address["line"].as_array().unwrap().len(), 1);
    assert!(!address["line"][0].as_str().unwrap().is_empty());

    // A site whose street the directory leaves empty is not offered to patients or the SAS.
    execute(
        "UPDATE practice_sites SET street = '' WHERE professional_id = \
         (SELECT id FROM professionals WHERE national_id = $1)",
    )
    .await;
    let site = site(&t, &gp, member_id).await;
    let mut rule = weekdays_afternoon("SNP");
    rule.start = "17:00".into();
    rule.end = "18:00".into();
    match availability::add_rule(&t.app, &gp, member_id, site, &rule).await {
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.get("site").unwrap_or_default();
            assert!(message.contains("la rue ou le code postal"), "{message}");
        }
        other => panic!("a site without street is refused: {other:?}"),
    }
}

both!(a_coordinator_gives_the_cpts_finess_that_the_sas_shows);
async fn a_coordinator_gives_the_cpts_finess_that_the_sas_shows(t: TestApp) {
    t.given().unscheduled_care().await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let wrong = t
        .post_form(
            &coord,
            "/cpts/a",
            "/cpts/a/identite",
            &[("finess", "13-000"), ("phone", "12")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap();
    assert!(page.contains("Un numéro FINESS compte neuf caractères"));
    assert!(page.contains("Un numéro de téléphone compte dix chiffres"));
    let saved = t
        .post_form(
            &coord,
            "/cpts/a",
            "/cpts/a/identite",
            &[("finess", "2a0000000"), ("phone", "")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(
        t.page(&coord, "/cpts/a")
            .await
            .contains("<dd id=\"finess\">2A0000000</dd>")
    );
    assert_eq!(t.audited("cpts.identity").await, 1);

    let member = t.client();
    t.login(&member, "restanque@a.fr", PASSWORD).await;
    let refused = t
        .post_form(
            &member,
            "/cpts/a",
            "/cpts/a/identite",
            &[("finess", "130000000")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
