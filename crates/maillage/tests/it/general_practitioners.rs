//! A general practitioner is a physician of specialty SM26, SM53 or SM54: with one GP of
//! each in the CPTS, every place that keeps GPs keeps all three — the proposals of the
//! waiting list, the capacities API, the departures, the diagnosis's line, map and count
//! of GPs taking new patients, and the directory's « Médecin généraliste » choice.

use crate::support::fixtures::directory::{ACTIVITY, extraction, import, professional_id};
use crate::support::{PASSWORD, TestApp, api_get, both, location, token_of};
use serde_json::Value;

/// The three GPs of [`three_gp_activity`]: (last name, national id, specialty).
const GPS: [(&str, &str, &str); 3] = [
    ("ARBOUSIER", "810000000017", "SM53"),
    ("RESTANQUE", "810000000074", "SM54"),
    ("OLIVETTE", "810000000108", "SM26"),
];

/// The sample's activity file (Dr Arbousier, SM53, at Aix-en-Provence and Bouc-Bel-Air;
/// Dr Restanque, SM54, at Cabriès) with a third GP, Dr Jeanne Olivette, « Qualifié en
/// médecine générale » (SM26), at Cabriès.
pub fn three_gp_activity() -> String {
    let restanque = ACTIVITY
        .lines()
        .find(|l| l.contains("|RESTANQUE|"))
        .expect("Dr Restanque in the sample");
    let olivette = restanque
        .replace("10000000074", "10000000108")
        .replace("|RESTANQUE|Gilles|", "|OLIVETTE|Jeanne|")
        .replace("|M|Monsieur|", "|MME|Madame|")
        .replace(
            "|SM54|Médecine Générale|",
            "|SM26|Qualifié en Médecine Générale|",
        );
    format!("{ACTIVITY}{olivette}\n")
}

/// CPTS "a" whose three GPs are members with an account, each taking two new patients a
/// month; Dr Arbousier (SM53) plans to leave on 31/12/2028. Returns the coordinator's
/// client and the members' page paths, in the order of [`GPS`].
async fn setup(t: &TestApp) -> (reqwest::Client, Vec<String>) {
    t.load_territory().await;
    import(t, &extraction(three_gp_activity().as_bytes(), true), 0)
        .await
        .expect("the directory imports");
    t.aix_cpts("a", "CPTS A").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let mut members = Vec::new();
    for (last_name, national_id, _) in GPS {
        let professional = professional_id(t, national_id).await;
        let added = t
            .post_form(
                &coord,
                "/adherents",
                "/adherents",
                &[("professional", &professional.to_string())],
            )
            .await;
        let member = location(&added);
        let email = format!("{}@a.fr", last_name.to_lowercase());
        t.user(&email, "member", "a").await;
        t.post_form(
            &coord,
            &member,
            &format!("{member}/compte"),
            &[("email", &email)],
        )
        .await;
        let departure = if last_name == "ARBOUSIER" {
            "31/12/2028"
        } else {
            ""
        };
        let settings = [
            ("accepts_new_patients", "on"),
            ("new_patients_per_month", "2"),
            ("departure_date", departure),
        ];
        let saved = t
            .post_form(&coord, &member, &format!("{member}/reglages"), &settings)
            .await;
        assert_eq!(saved.status(), 303, "{last_name}'s settings saved");
        members.push(member);
    }
    (coord, members)
}

async fn every_gp_is_a_gp_whatever_their_specialty_of_general_practice(t: TestApp) {
    let (coord, members) = setup(&t).await;

    // The member page offers each of them the settings of a médecin traitant.
    for member in &members {
        let page = t.page(&coord, member).await;
        assert!(page.contains("name=\"accepts_new_patients\""), "{member}");
    }

    // A patient of Cabriès is proposed to each of the three.
    let fields = [
        ("last_name", "MARTIN"),
        ("first_name", "Élise"),
        ("birth_date", "24/03/1958"),
        ("sex", "F"),
        ("commune", "Cabriès"),
        ("phone", "0612345678"),
    ];
    let recorded = t
        .post_form(
            &coord,
            "/medecin-traitant/demandes/nouvelle",
            "/medecin-traitant/demandes",
            &fields,
        )
        .await;
    let request = t.page(&coord, &location(&recorded)).await;
    assert!(!request.contains("Aucun médecin adhérent ne peut prendre ce patient"));
    for name in [
        "Dr Aline ARBOUSIER",
        "Dr Gilles RESTANQUE",
        "Dr Jeanne OLIVETTE",
    ] {
        assert!(request.contains(name), "{name} is proposed");
    }

    // Their capacities through the API.
    let token = token_of(&t, "coord@a.fr").await;
    for member in &members {
        let id = member.trim_start_matches("/adherents/");
        let path = format!("/api/v1/medecin-traitant/capacites/{id}");
        let answer = api_get(&t, &path, &token).await;
        assert_eq!(answer.status(), 200, "{path}");
        let capacity: Value = answer.json().await.unwrap();
        assert_eq!(capacity["new_patients_per_month"], 2, "{capacity}");
    }

    // The SM53 GP's departure is listed.
    let departures = t.page(&coord, "/medecin-traitant/departs").await;
    assert!(departures.contains("Dr Aline ARBOUSIER"), "{departures}");
    assert!(departures.contains("31/12/2028"));

    // The diagnosis: one line of the three GPs, each once, then its detail.
    let diagnosis: Value = api_get(&t, "/api/v1/cpts/a/diagnostic", &token)
        .await
        .json()
        .await
        .unwrap();
    let lines = diagnosis["offer"].as_array().unwrap();
    let gps = &lines[0];
    assert_eq!(gps["kind"], "general_practitioners", "GPs first: {gps}");
    assert_eq!(gps["label"], "Médecins généralistes");
    assert_eq!(gps["figures"][0]["professionals"], 3);
    for (_, _, specialty) in GPS {
        let detail = lines
            .iter()
            .find(|l| l["specialty"] == specialty)
            .unwrap_or_else(|| panic!("a line of {specialty}"));
        assert_eq!(detail["kind"], "general_practice_detail");
        assert_eq!(detail["figures"][0]["professionals"], 1, "{specialty}");
    }
    let communes: Vec<&str> = diagnosis["communes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["insee"].as_str().unwrap())
        .collect();
    let cabries = communes.iter().position(|c| *c == "13019").unwrap();
    let bouc = communes.iter().position(|c| *c == "13015").unwrap();
    assert_eq!(gps["communes"][cabries], 2, "Dr Restanque and Dr Olivette");
    assert_eq!(gps["communes"][bouc], 1, "Dr Arbousier's second site");
    assert_eq!(diagnosis["accepting_gps"]["gps"], 3);
    assert_eq!(diagnosis["accepting_gps"]["places_per_month"], 6);
    let page = t.page(&coord, "/territoire/a/diagnostic").await;
    let per_commune = page.split("Professionnels par commune").nth(1).unwrap();
    assert!(
        per_commune.contains(">Médecins généralistes</th>"),
        "a column of GPs"
    );

    // The directory's « Médecin généraliste » choice finds the three, around a commune (the
    // in-memory index) or anywhere (the database), on the page and through the API.
    let page = t.page(&coord, "/annuaire").await;
    assert!(page.contains("<option value=\"generaliste\">Médecin généraliste</option>"));
    for query in [
        "profession=generaliste&commune=13019&rayon=30",
        "profession=generaliste",
        "profession=generaliste&nom=e",
        "profession=generaliste&nom=e&commune=13019&rayon=30",
    ] {
        let page = t.page(&coord, &format!("/annuaire?{query}")).await;
        for (last_name, _, _) in GPS {
            assert!(page.contains(last_name), "{last_name} found by {query}");
        }
        assert!(
            !page.contains("CALISSON"),
            "the nurse is not found by {query}"
        );
        let found: Value = api_get(&t, &format!("/api/v1/professionnels?{query}"), &token)
            .await
            .json()
            .await
            .unwrap();
        let mut names: Vec<&str> = found["sites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["last_name"].as_str().unwrap())
            .collect();
        names.dedup();
        assert_eq!(names.len(), 3, "{query}: {found}");
    }
}
both!(every_gp_is_a_gp_whatever_their_specialty_of_general_practice);
