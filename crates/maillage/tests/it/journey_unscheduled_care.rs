//! Unscheduled care in headless Chromium (screenshots and axe-core on every page): a GP
//! publishes a weekly afternoon of slots; a SAS regulator records a call, books the
//! earliest slot offered and moves it; the GP sees the patient in their agenda and records
//! the visit.

use crate::support::PASSWORD;
use crate::support::browser::{start, without_second_factor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regulator_books_a_slot_a_gp_published_and_the_gp_records_the_visit() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.given().unscheduled_care().await;

    // The GP publishes weekday afternoons, after one mistyped attempt.
    b.log_in("restanque@a.fr", PASSWORD).await;
    b.follow("Soins non programmés").await;
    assert!(b.main_text().await.contains("Aucun rendez-vous"));
    b.inspect("70-snp-agenda-vide").await;
    b.follow("Mes disponibilités").await;
    for day in 1..=5 {
        b.tick(&format!("input[name=weekday][value='{day}']")).await;
    }
    b.fill("r-start", "14:00").await;
    b.fill("r-end", "13:00").await;
    b.fill("r-slot_minutes", "30").await;
    b.press("Ajouter la plage").await;
    assert!(
        b.text_of("#r-end-error")
            .await
            .contains("La fin doit être après le début")
    );
    b.inspect("71-snp-plage-invalide").await;
    b.fill("r-end", "16:00").await;
    b.select("r-visibility", "SNP").await;
    b.press("Ajouter la plage").await;
    assert!(b.text_of("#plages").await.contains("14:00–16:00"));
    let slots = b.text_of("#creneaux").await;
    assert!(slots.contains("ven. 15/01 14:00"), "{slots}");
    assert!(slots.contains("Régulation SAS"), "{slots}");
    b.inspect("72-snp-disponibilites").await;
    b.press("Se déconnecter").await;

    // The regulator records a call; a missing answer is named first.
    b.log_in("regul@a.fr", PASSWORD).await;
    b.follow("Soins non programmés").await;
    b.follow("Enregistrer une demande").await;
    b.press("Enregistrer et chercher un créneau").await;
    assert!(b.text_of("#f-last_name-error").await.contains("nom"));
    b.inspect("73-snp-demande-invalide").await;
    b.select("f-reason", "fever").await;
    b.fill("f-commune", "Aix-en-Provence").await;
    b.tick("input[name=own_gp][value='tried']").await;
    b.fill("f-last_name", "Durand").await;
    b.fill("f-first_name", "Camille").await;
    b.fill("f-birth_date", "03/04/1985").await;
    b.tick("input[name=sex][value='F']").await;
    b.fill("f-phone", "06 12 34 56 78").await;
    b.press("Enregistrer et chercher un créneau").await;
    let request = b.path().await;
    assert!(request.starts_with("/soins-non-programmes/demandes/"));
    let offered = b.text_of("#creneaux").await;
    assert!(offered.contains("ven. 15/01 14:00"), "{offered}");
    assert!(offered.contains("RESTANQUE"), "{offered}");
    b.inspect("74-snp-orientation").await;

    // Books the earliest slot, then moves it half an hour later.
    b.press_labelled("Réserver le ven. 15/01 14:00 avec Gilles RESTANQUE (Médecin)")
        .await;
    assert_eq!(b.text_of("#etat").await, "Rendez-vous pris");
    assert!(b.text_of("#rendez-vous").await.contains("ven. 15/01 14:00"));
    b.press_labelled("Déplacer ici : ven. 15/01 14:30 avec Gilles RESTANQUE (Médecin)")
        .await;
    let bookings = b.text_of("#rendez-vous").await;
    assert!(bookings.contains("ven. 15/01 14:00"), "{bookings}");
    assert!(bookings.contains("Déplacé"), "{bookings}");
    assert!(bookings.contains("ven. 15/01 14:30"), "{bookings}");
    assert!(!b.text_of("#creneaux").await.contains("ven. 15/01 14:30"));
    b.inspect("75-snp-rendez-vous").await;
    b.follow("← Demandes").await;
    assert!(b.main_text().await.contains("Rendez-vous pris"));
    b.press("Se déconnecter").await;

    // At 15:00 the GP finds the patient in their agenda and records the visit.
    t.clock.advance(6 * 3_600);
    b.log_in("restanque@a.fr", PASSWORD).await;
    b.follow("Soins non programmés").await;
    let agenda = b.text_of("#agenda").await;
    assert!(agenda.contains("DURAND Camille"), "{agenda}");
    assert!(agenda.contains("06 12 34 56 78"), "{agenda}");
    b.inspect("76-snp-agenda").await;
    b.select(&format!("f-outcome-{}", booking_of(&t).await), "follow_up")
        .await;
    b.press_labelled("Patient vu : DURAND").await;
    let agenda = b.text_of("#agenda").await;
    assert!(agenda.contains("Patient vu : Suivi prévu"), "{agenda}");
}

/// The live booking of the journey.
async fn booking_of(t: &crate::support::TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM snp_bookings WHERE status = 'booked'")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}
