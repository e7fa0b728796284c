//! Attachments of messages: typed by their content, bounded in size and number, stored
//! once per checksum, downloaded by the thread's members only, each download audited.

use crate::support::fixtures::messaging::{PDF, Team, patient_thread_with_gp, write};
use crate::support::{TestApp, both};

async fn attachments_are_checked_stored_once_and_given_to_members_only(t: TestApp) {
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
    let thread = patient_thread_with_gp(&t, &coord).await;

    let disguised = write(
        &t,
        &gp,
        &thread,
        "Voici l’ordonnance",
        &[("ordonnance.pdf", b"MZ\x90\x00 programme"), ("cr.pdf", PDF)],
    )
    .await;
    assert_eq!(disguised.status(), 422);
    let page = disguised.text().await.unwrap();
    assert!(
        page.contains("« ordonnance.pdf » n’est ni un PDF"),
        "{page}"
    );
    assert!(page.contains("Voici l’ordonnance"), "the text typed stays");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM messages").await,
        0,
        "nothing half-written"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM attachment_contents").await, 0);

    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let too_big = write(&t, &gp, &thread, "Scanner", &[("scanner.pdf", &big)]).await;
    assert_eq!(too_big.status(), 422);
    assert!(
        too_big
            .text()
            .await
            .unwrap()
            .contains("« scanner.pdf » dépasse 10 Mo")
    );
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("cr.pdf", PDF)).collect();
    let too_many = write(&t, &gp, &thread, "Six fichiers", &six).await;
    assert_eq!(too_many.status(), 422);
    assert!(
        too_many
            .text()
            .await
            .unwrap()
            .contains("5 fichiers au plus")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM messages").await, 0);

    let sent = write(
        &t,
        &gp,
        &thread,
        "Compte rendu",
        &[("../../cr plaie.pdf", PDF)],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let again = write(
        &t,
        &coord,
        &thread,
        "Le même, en retour",
        &[("copie.pdf", PDF)],
    )
    .await;
    assert_eq!(again.status(), 303);
    assert_eq!(t.count("SELECT COUNT(*) FROM attachments").await, 2);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM attachment_contents").await,
        1,
        "one content per checksum"
    );

    let page = t.page(&coord, &thread).await;
    assert!(page.contains(">cr plaie.pdf</a>"), "the path is dropped");
    let link = page
        .split("href=\"/messagerie/pieces-jointes/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let path = format!("/messagerie/pieces-jointes/{link}");
    let file = gp.get(t.url(&path)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("cr%20plaie.pdf"), "{disposition}");
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(nurse.get(t.url(&path)).send().await.unwrap().status(), 404);
    assert_eq!(t.audited("attachment.read").await, 1);
}
both!(attachments_are_checked_stored_once_and_given_to_members_only);
