//! The FHIR R4 directory: resources with the national identifier systems and NOS codings,
//! searches, paging links, references that resolve, open data for anyone and members'
//! shared fields only for their own CPTS.

use crate::support::fixtures::directory::import_sample;
use crate::support::{TestApp, both, token_of};
use maillage_services::territory;
use serde_json::Value;

const G15: &str =
    "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";
const R38: &str =
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";

async fn setup(t: &TestApp) {
    t.load_territory().await;
    import_sample(t).await;
}

async fn get(t: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(t.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/fhir+json; charset=utf-8"
    );
    (status, response.json().await.unwrap())
}

/// The resource of a URL taken from a Bundle (absolute, on this test's host).
async fn follow(t: &TestApp, url: &str) -> (u16, Value) {
    let path = url.strip_prefix(&t.base).expect("a link to this host");
    get(t, path, None).await
}

fn systems(resource: &Value, element: &str) -> Vec<(String, String)> {
    resource[element]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["system"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn practitioners_carry_national_identifiers_and_codings(t: TestApp) {
    setup(&t).await;
    let (status, gp) = get(&t, "/fhir/r4/Practitioner/810000000074", None).await;
    assert_eq!(status, 200);
    assert_eq!(gp["resourceType"], "Practitioner");
    assert!(
        gp["meta"]["profile"]
            .to_string()
            .contains("as-dp-practitioner")
    );
    assert_eq!(
        systems(&gp, "identifier"),
        [
            (
                "urn:oid:1.2.250.1.71.4.2.1".to_owned(),
                "810000000074".to_owned()
            ),
            (
                "https://rpps.esante.gouv.fr".to_owned(),
                "10000000074".to_owned()
            )
        ]
    );
    let codings: Vec<&Value> = gp["qualification"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["code"]["coding"].as_array().unwrap())
        .collect();
    assert!(
        codings
            .iter()
            .any(|c| c["system"] == G15 && c["code"] == "10")
    );
    assert!(
        codings
            .iter()
            .any(|c| c["system"] == R38 && c["code"] == "SM54")
    );
    assert_eq!(gp["name"][0]["family"], "RESTANQUE");

    let (status, missing) = get(&t, "/fhir/r4/Practitioner/899999999999", None).await;
    assert_eq!(
        (status, missing["resourceType"].as_str()),
        (404, Some("OperationOutcome"))
    );

    for query in [
        "identifier=10000000074",
        "identifier=https://rpps.esante.gouv.fr|10000000074",
        "identifier=urn:oid:1.2.250.1.71.4.2.1|810000000074",
        "name=restanq",
        "name=gilles%20restanque",
        "qualification-code=10&family=restanque",
    ] {
        let (_, bundle) = get(&t, &format!("/fhir/r4/Practitioner?{query}"), None).await;
        assert_eq!(bundle["total"], 1, "{query}");
        assert_eq!(
            bundle["entry"][0]["resource"]["id"], "810000000074",
            "{query}"
        );
    }
    let (_, none) = get(&t, "/fhir/r4/Practitioner?identifier=urn:autre|123", None).await;
    assert_eq!(
        none["total"], 0,
        "an identifier of another system matches nothing"
    );
}
both!(practitioners_carry_national_identifiers_and_codings);

async fn searchsets_page_with_links_that_work(t: TestApp) {
    setup(&t).await;
    let (_, first) = get(&t, "/fhir/r4/Practitioner?_count=4", None).await;
    assert_eq!(
        (first["type"].as_str(), first["total"].as_i64()),
        (Some("searchset"), Some(9))
    );
    assert_eq!(first["entry"].as_array().unwrap().len(), 4);
    let links = |b: &Value, rel: &str| {
        b["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == rel)
            .map(|l| l["url"].as_str().unwrap().to_owned())
    };
    assert!(links(&first, "previous").is_none());
    let (_, second) = follow(&t, &links(&first, "next").unwrap()).await;
    let (_, third) = follow(&t, &links(&second, "next").unwrap()).await;
    assert_eq!(third["entry"].as_array().unwrap().len(), 1);
    assert!(links(&third, "next").is_none());
    let (_, back) = follow(&t, &links(&third, "previous").unwrap()).await;
    assert_eq!(
        back["entry"][0]["resource"]["id"],
        second["entry"][0]["resource"]["id"]
    );
    let mut ids: Vec<String> = [&first, &second, &third]
        .iter()
        .flat_map(|b| {
            b["entry"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["resource"]["id"].as_str().unwrap().to_owned())
        })
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 9, "every practitioner once");

    let (status, bad) = get(&t, "/fhir/r4/Practitioner?_count=beaucoup", None).await;
    assert_eq!(
        (status, bad["resourceType"].as_str()),
        (400, Some("OperationOutcome"))
    );
}
both!(searchsets_page_with_links_that_work);

/// A search posted as a form answers as the same search by GET; `_elements` keeps only
/// the elements named (marked as a subset); `_total=none` leaves the total out.
async fn searches_by_post_and_with_fewer_elements(t: TestApp) {
    setup(&t).await;
    let (_, by_get) = get(&t, "/fhir/r4/Practitioner?family=restanque", None).await;
    let posted = reqwest::Client::new()
        .post(t.url("/fhir/r4/Practitioner/_search"))
        .form(&[("family", "restanque")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    let by_post: Value = posted.json().await.unwrap();
    assert_eq!(by_post["total"], 1);
    assert_eq!(by_post["entry"], by_get["entry"]);

    let (_, reduced) = get(
        &t,
        "/fhir/r4/Practitioner?family=restanque&_elements=name&_total=none",
        None,
    )
    .await;
    assert!(reduced.get("total").is_none());
    let gp = &reduced["entry"][0]["resource"];
    assert_eq!(gp["name"], by_get["entry"][0]["resource"]["name"]);
    assert_eq!(gp["id"], "810000000074");
    assert!(gp.get("identifier").is_none() && gp.get("qualification").is_none());
    assert_eq!(gp["meta"]["tag"][0]["code"], "SUBSETTED");
}
both!(searches_by_post_and_with_fewer_elements);

async fn roles_reference_practitioners_and_organizations_that_resolve(t: TestApp) {
    setup(&t).await;
    let query = "/fhir/r4/PractitionerRole?practitioner=Practitioner/810000000017&_include=PractitionerRole:practitioner&_include=PractitionerRole:organization";
    let (_, bundle) = get(&t, query, None).await;
    assert_eq!(bundle["total"], 2, "a GP with two practice sites");
    let entries = bundle["entry"].as_array().unwrap();
    let included: Vec<String> = entries
        .iter()
        .filter(|e| e["search"]["mode"] == "include")
        .map(|e| {
            format!(
                "{}/{}",
                e["resource"]["resourceType"].as_str().unwrap(),
                e["resource"]["id"].as_str().unwrap()
            )
        })
        .collect();
    for role in entries.iter().filter(|e| e["search"]["mode"] == "match") {
        let role = &role["resource"];
        assert!(role["code"].to_string().contains("TRE-R23-ModeExercice"));
        for reference in [
            &role["practitioner"]["reference"],
            &role["organization"]["reference"],
        ] {
            let reference = reference.as_str().unwrap();
            assert!(
                included.iter().any(|i| i == reference),
                "{reference} included"
            );
            let (status, resource) = get(&t, &format!("/fhir/r4/{reference}"), None).await;
            assert_eq!(status, 200, "{reference} resolves");
            assert_eq!(
                format!(
                    "{}/{}",
                    resource["resourceType"].as_str().unwrap(),
                    resource["id"].as_str().unwrap()
                ),
                reference
            );
        }
    }
    let (_, organization) = get(
        &t,
        "/fhir/r4/Organization?identifier=https://sirene.fr|99900011000018",
        None,
    )
    .await;
    assert_eq!(organization["total"], 1);
    let org = &organization["entry"][0]["resource"];
    assert_eq!(org["name"], "CABINET MEDICAL DES CYPRES");
    let (_, in_aix) = get(
        &t,
        "/fhir/r4/Organization?address-city=Aix-en-Provence",
        None,
    )
    .await;
    assert!(
        in_aix["entry"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["resource"]["name"] == "CABINET MEDICAL DES CYPRES"),
        "a commune's name with hyphens matches: {in_aix}"
    );
    assert!(systems(org, "identifier").contains(&(
        "urn:oid:1.2.250.1.71.4.2.2".to_owned(),
        "399900011000018".to_owned()
    )));
    let (_, liberal) = get(
        &t,
        "/fhir/r4/PractitionerRole?role=L&practitioner=810000000017",
        None,
    )
    .await;
    assert_eq!(liberal["total"], 2);
    let (_, bogus) = get(&t, "/fhir/r4/PractitionerRole?_id=n-importe-quoi", None).await;
    assert_eq!(bogus["total"], 0);
}
both!(roles_reference_practitioners_and_organizations_that_resolve);

async fn shared_fields_reach_only_the_members_own_cpts(t: TestApp) {
    setup(&t).await;
    for slug in ["a", "b"] {
        let perimeter = territory::Selection {
            communes: vec!["13019".into()],
            epcis: Vec::new(),
        };
        territory::create(&t.app, None, slug, slug, &perimeter)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO members (cpts_id, professional_id, mssante, colleague_phone, created_at, updated_at) \
         SELECT c.id, p.id, 'j.restanque@medecin.mssante.fr', '0442000000', 0, 0 FROM cpts c, professionals p \
         WHERE c.slug = 'a' AND p.national_id = '810000000074'",
    )
    .execute(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    let (a, b) = (
        token_of(&t, "coord@a.fr").await,
        token_of(&t, "coord@b.fr").await,
    );
    let path = "/fhir/r4/Practitioner/810000000074";
    let (_, open) = get(&t, path, None).await;
    assert!(
        open.get("telecom").is_none(),
        "open data carries no shared field"
    );
    let (_, other) = get(&t, path, Some(&b)).await;
    assert!(other.get("telecom").is_none());
    let (_, own) = get(&t, path, Some(&a)).await;
    assert_eq!(own["telecom"][0]["value"], "j.restanque@medecin.mssante.fr");
    let (_, role) = get(&t, "/fhir/r4/PractitionerRole/810000000074-0", Some(&a)).await;
    assert_eq!(role["telecom"][0]["value"], "0442000000");
    let (status, refused) = get(&t, path, Some("mlg_inconnu")).await;
    assert_eq!(
        (status, refused["resourceType"].as_str()),
        (401, Some("OperationOutcome"))
    );
    let (_, capability) = get(&t, "/fhir/r4/metadata", None).await;
    assert_eq!(capability["fhirVersion"], "4.0.1");
}
both!(shared_fields_reach_only_the_members_own_cpts);
