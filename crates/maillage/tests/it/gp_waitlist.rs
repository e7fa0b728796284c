//! The waiting list of patients without a médecin traitant, through the coordinator's
//! pages: requests recorded from a call, listed by priority with the reason of each place,
//! field errors in French, probable duplicates, access and audit.

use crate::support::{PASSWORD, TestApp, both, location, text_between};

/// Records a request for `last_name`, born on `born`, with the situation boxes ticked.
async fn record(
    t: &TestApp,
    coord: &reqwest::Client,
    last_name: &str,
    born: &str,
    ticked: &[&str],
) -> reqwest::Response {
    let mut fields = vec![
        ("last_name", last_name),
        ("first_name", "Camille"),
        ("birth_date", born),
        ("sex", "F"),
        ("commune", "Aix-en-Provence"),
        ("phone", "06 12 34 56 78"),
    ];
    fields.extend(ticked.iter().map(|name| (*name, "on")));
    t.post_form(
        coord,
        "/medecin-traitant/demandes/nouvelle",
        "/medecin-traitant/demandes",
        &fields,
    )
    .await
}

async fn requests_are_listed_by_priority_with_the_reason_of_each_place(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    // The clock reads 15/01/2027: born in 1956, one is 70; born in 1990, 36.
    for (name, born, ticked) in [
        ("ANCIEN", "01/01/1990", &[][..]),
        ("SOLIDAIRE", "01/01/1990", &["c2s"][..]),
        ("AINE", "10/01/1957", &[][..]),
        ("CHRONIQUE", "01/01/1990", &["ald", "c2s"][..]),
        ("RECENT", "01/01/1990", &[][..]),
        ("PRESQUE", "16/01/1957", &[][..]),
    ] {
        assert_eq!(record(&t, &coord, name, born, ticked).await.status(), 303);
        t.clock.advance(60);
    }
    let page = t.page(&coord, "/medecin-traitant").await;
    let body = text_between(&page, "<tbody>", "</tbody>").unwrap();
    let order: Vec<&str> = [
        "CHRONIQUE",
        "AINE",
        "SOLIDAIRE",
        "ANCIEN",
        "RECENT",
        "PRESQUE",
    ]
    .into_iter()
    .collect();
    let mut positions: Vec<(usize, &str)> = order
        .iter()
        .map(|name| {
            (
                body.find(name).unwrap_or_else(|| panic!("{name} listed")),
                *name,
            )
        })
        .collect();
    positions.sort();
    let listed: Vec<&str> = positions.into_iter().map(|(_, name)| name).collect();
    assert_eq!(
        listed, order,
        "ALD, then 70 or more, then C2S, then by date"
    );
    let row_of = |name: &str| {
        body.split("</tr>")
            .find(|row| row.contains(name))
            .unwrap()
            .to_owned()
    };
    assert!(row_of("CHRONIQUE").contains("Prioritaire : ALD"));
    assert!(row_of("AINE").contains("Prioritaire : 70 ans ou plus"));
    assert!(row_of("SOLIDAIRE").contains("Prioritaire : C2S"));
    assert!(
        row_of("PRESQUE").contains("ordre d’arrivée"),
        "69 years and 364 days"
    );

    // This CPTS puts C2S first, then ALD, and leaves age out.
    let same_rank = [("rank_c2s", "1"), ("rank_ald", "1")];
    let bad = t
        .post_form(
            &coord,
            "/medecin-traitant",
            "/medecin-traitant/regles",
            &same_rank,
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("un rang différent"));
    let ranks = [("rank_c2s", "1"), ("rank_ald", "2"), ("rank_age70", "")];
    let set = t
        .post_form(
            &coord,
            "/medecin-traitant",
            "/medecin-traitant/regles",
            &ranks,
        )
        .await;
    assert_eq!(set.status(), 303);
    let page = t.page(&coord, "/medecin-traitant").await;
    assert!(page.contains("Ordre de la liste : C2S ou faibles revenus, puis ALD, puis les autres"));
    let body = text_between(&page, "<tbody>", "</tbody>").unwrap();
    let rows: Vec<&str> = body.split("</tr>").collect();
    assert!(
        rows[0].contains("SOLIDAIRE"),
        "C2S, the older request: {}",
        rows[0]
    );
    assert!(
        rows[1].contains("CHRONIQUE") && rows[1].contains("Prioritaire : C2S"),
        "ALD and C2S: placed by C2S now: {}",
        rows[1]
    );
    assert!(
        body.find("ANCIEN").unwrap() < body.find("AINE").unwrap(),
        "age no longer counts"
    );
    assert_eq!(t.audited("gp_waitlist.rules").await, 1);
}
both!(requests_are_listed_by_priority_with_the_reason_of_each_place);

async fn a_wrong_field_is_named_in_french_and_nothing_is_recorded(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    let fields = [
        ("last_name", "Martin"),
        ("first_name", "Camille"),
        ("birth_date", "31/02/1980"),
        ("sex", "F"),
        ("commune", "Nulle-Part-sur-Mer"),
        ("phone", "06 12 34"),
    ];
    let refused = t
        .post_form(
            &coord,
            "/medecin-traitant/demandes/nouvelle",
            "/medecin-traitant/demandes",
            &fields,
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    for message in [
        "Indiquez la date de naissance, par exemple 24/03/1958.",
        "Commune inconnue : « Nulle-Part-sur-Mer ». Indiquez son nom ou son code INSEE.",
        "Un numéro de téléphone compte dix chiffres",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(page.contains("value=\"Martin\""), "what was typed stays");
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 0);

    // A commune given by its INSEE code is found too.
    let by_code = [
        ("last_name", "Martin"),
        ("first_name", "Camille"),
        ("birth_date", "1980-02-29"),
        ("sex", "F"),
        ("commune", "13019"),
        ("email", "camille.martin@exemple.fr"),
    ];
    let recorded = t
        .post_form(
            &coord,
            "/medecin-traitant/demandes/nouvelle",
            "/medecin-traitant/demandes",
            &by_code,
        )
        .await;
    assert_eq!(recorded.status(), 303);
    let page = t.page(&coord, &location(&recorded)).await;
    assert!(page.contains("(13019)"));
    assert!(page.contains("29/02/1980"));
}
both!(a_wrong_field_is_named_in_french_and_nothing_is_recorded);

async fn a_probable_duplicate_is_pointed_out(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    let first = record(&t, &coord, "DURAND", "24/03/1958", &[]).await;
    let first = location(&first);
    // The same person, now under her married name, her birth name given.
    let fields = [
        ("last_name", "Martin"),
        ("birth_name", "Durand"),
        ("first_name", "camille"),
        ("birth_date", "1958-03-24"),
        ("sex", "F"),
        ("commune", "Aix-en-Provence"),
        ("phone", "0612345678"),
    ];
    let second = t
        .post_form(
            &coord,
            "/medecin-traitant/demandes/nouvelle",
            "/medecin-traitant/demandes",
            &fields,
        )
        .await;
    let page = t.page(&coord, &location(&second)).await;
    assert!(page.contains("Doublon probable"), "{page}");
    assert!(page.contains(&format!("href=\"{first}\"")));
    assert_eq!(
        t.page(&coord, "/medecin-traitant")
            .await
            .matches("doublon probable")
            .count(),
        2
    );
    let other = record(&t, &coord, "DURAND", "25/03/1958", &[]).await;
    assert!(
        !t.page(&coord, &location(&other))
            .await
            .contains("Doublon probable")
    );
}
both!(a_probable_duplicate_is_pointed_out);

async fn only_the_cpts_coordinators_reach_the_list_and_each_read_is_audited(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    let request = location(&record(&t, &coord, "DURAND", "24/03/1958", &["ald"]).await);
    let gp = t.client();
    t.login(&gp, "gp@a.fr", PASSWORD).await;
    let own = t.page(&gp, "/medecin-traitant").await;
    assert!(
        own.contains("Patients proposés") && !own.contains("DURAND"),
        "a GP sees only what is proposed to them"
    );
    assert_eq!(gp.get(t.url(&request)).send().await.unwrap().status(), 403);
    let other = t.client();
    t.login(&other, "coord@b.fr", PASSWORD).await;
    assert_eq!(
        other.get(t.url(&request)).send().await.unwrap().status(),
        404
    );
    assert!(!t.page(&other, "/medecin-traitant").await.contains("DURAND"));

    let page = t.page(&coord, &request).await;
    assert!(page.contains("demande reçue (Appel téléphonique), par Personne Test"));
    let id = request.rsplit('/').next().unwrap();
    let reads = t
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'gp_request.read' AND object_id = '{id}'"
        ))
        .await;
    assert_eq!(reads, 1, "the coordinator's read only");
    assert_eq!(t.audited("gp_request.create").await, 1);
}
both!(only_the_cpts_coordinators_reach_the_list_and_each_read_is_audited);

async fn a_coordinator_places_a_patient_first_or_closes_a_request(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    record(&t, &coord, "CHRONIQUE", "01/01/1990", &["ald"]).await;
    let urgent = location(&record(&t, &coord, "ISOLEE", "01/01/1990", &[]).await);
    let priority = format!("{urgent}/priorite");
    let silent = t
        .post_form(
            &coord,
            &urgent,
            &priority,
            &[("action", "tete"), ("comment", " ")],
        )
        .await;
    assert_eq!(silent.status(), 422);
    assert!(silent.text().await.unwrap().contains("Dites pourquoi"));
    let comment = "Sortie d’hospitalisation sans suivi";
    let placed = t
        .post_form(
            &coord,
            &urgent,
            &priority,
            &[("action", "tete"), ("comment", comment)],
        )
        .await;
    assert_eq!(placed.status(), 303);
    let list = t.page(&coord, "/medecin-traitant").await;
    assert!(list.find("ISOLEE").unwrap() < list.find("CHRONIQUE").unwrap());
    assert!(list.contains(&format!("Placé en tête : {comment}")));
    assert!(
        t.page(&coord, &urgent)
            .await
            .contains("placé en tête de liste")
    );
    assert_eq!(t.audited("gp_request.priority").await, 1);
    t.post_form(&coord, &urgent, &priority, &[("action", "regles")])
        .await;
    let list = t.page(&coord, "/medecin-traitant").await;
    assert!(list.find("CHRONIQUE").unwrap() < list.find("ISOLEE").unwrap());

    let close = format!("{urgent}/cloture");
    let no_reason = t
        .post_form(&coord, &urgent, &close, &[("reason", "")])
        .await;
    assert_eq!(no_reason.status(), 422);
    assert!(
        no_reason
            .text()
            .await
            .unwrap()
            .contains("Choisissez le motif")
    );
    let closed = t
        .post_form(&coord, &urgent, &close, &[("reason", "unreachable")])
        .await;
    assert_eq!(closed.status(), 303);
    assert!(!t.page(&coord, "/medecin-traitant").await.contains("ISOLEE"));
    let page = t.page(&coord, &urgent).await;
    assert!(page.contains("Injoignable"));
    let again = t
        .post_form(&coord, "/medecin-traitant", &close, &[("reason", "moved")])
        .await;
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Cette demande est close.")
    );
}
both!(a_coordinator_places_a_patient_first_or_closes_a_request);

async fn personal_data_is_purged_a_year_after_closure_and_the_counts_stay(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    let closed = location(&record(&t, &coord, "PARTI", "01/01/1950", &["ald", "pregnancy"]).await);
    let open = location(&record(&t, &coord, "ATTEND", "01/01/1990", &["c2s"]).await);
    t.post_form(
        &coord,
        &closed,
        &format!("{closed}/cloture"),
        &[("reason", "moved")],
    )
    .await;
    let purge = || maillage_services::gp_waitlist::purge_closed(&t.app);
    t.clock.advance(11 * 31 * 86_400);
    assert_eq!(purge().await.unwrap(), 0, "kept for 12 months");
    t.clock.advance(40 * 86_400);
    assert_eq!(purge().await.unwrap(), 1);
    let id = closed.rsplit('/').next().unwrap().parse::<i64>().unwrap();
    let (name, born, phone, group, commune, status): (
        String,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT last_name, birth_date, phone, indicator_group, commune, status \
             FROM gp_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!((name.as_str(), born.as_str(), phone.as_str()), ("", "", ""));
    assert_eq!(
        (group.as_str(), commune.as_str(), status.as_str()),
        ("ald", "13001", "closed"),
        "what the indicators count stays"
    );
    let situation = format!(
        "SELECT COUNT(*) FROM gp_requests WHERE id = {id} AND ald + c2s + disability + pregnancy + newly_arrived + gp_left > 0"
    );
    assert_eq!(
        t.count(&situation).await,
        0,
        "nor what the patient declared"
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM gp_request_events WHERE request_id = {id} AND detail <> ''"
        ))
        .await,
        0
    );
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    assert!(
        t.page(&coord, &open).await.contains("ATTEND"),
        "open requests are kept"
    );
    assert_eq!(purge().await.unwrap(), 0, "once");
}
both!(personal_data_is_purged_a_year_after_closure_and_the_counts_stay);
