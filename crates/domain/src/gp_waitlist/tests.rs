//! Tests of the waiting list's rules.

use super::*;

const TODAY: CivilDate = CivilDate {
    year: 2026,
    month: 11,
    day: 23,
};

fn born(raw: &str) -> CivilDate {
    CivilDate::parse(raw).unwrap()
}

#[test]
fn age_counts_full_years_to_the_day() {
    assert_eq!(age_on(born("23/11/1956"), TODAY), 70);
    assert_eq!(age_on(born("24/11/1956"), TODAY), 69);
    assert_eq!(age_on(born("29/02/2000"), TODAY), 26);
}

#[test]
fn the_first_criterion_met_in_the_cpts_order_places_a_patient() {
    let rules = Criterion::DEFAULT;
    let ald_and_c2s = Situation {
        ald: true,
        c2s: true,
        ..Situation::default()
    };
    let standing = Standing::of(&rules, &ald_and_c2s, born("01/01/1990"), TODAY);
    assert_eq!(standing.group, 0);
    assert_eq!(standing.reason_fr(), "Prioritaire : ALD");
    let old = Standing::of(&rules, &Situation::default(), born("23/11/1956"), TODAY);
    assert_eq!((old.group, old.criterion), (1, Some(Criterion::Age70)));
    let c2s = Situation {
        c2s: true,
        ..Situation::default()
    };
    assert_eq!(
        Standing::of(&rules, &c2s, born("01/01/1990"), TODAY).group,
        2
    );
    let none = Standing::of(&rules, &Situation::default(), born("24/11/1956"), TODAY);
    assert_eq!((none.group, none.criterion), (3, None));
    assert!(none.reason_fr().contains("ordre d’arrivée"));
    // Another CPTS puts C2S first.
    let c2s_first = [Criterion::C2s, Criterion::Ald];
    assert_eq!(
        Standing::of(&c2s_first, &ald_and_c2s, born("01/01/1990"), TODAY).criterion,
        Some(Criterion::C2s)
    );
}

fn fields() -> RequestFields {
    RequestFields {
        last_name: " martin ".into(),
        birth_name: "Durand".into(),
        first_name: "Léa".into(),
        birth_date: "24/03/1958".into(),
        sex: "F".into(),
        commune: "13001".into(),
        phone: "04.42.00.00.00".into(),
        ..RequestFields::default()
    }
}

#[test]
fn a_request_is_checked_field_by_field() {
    let request = CheckedRequest::parse(&fields(), TODAY).unwrap();
    assert_eq!(request.last_name, "MARTIN");
    assert_eq!(request.phone, "0442000000");
    assert_eq!(request.name_key, "durand lea", "the birth name identifies");
    let bad = RequestFields {
        last_name: "".into(),
        birth_date: "31/02/1958".into(),
        sex: "X".into(),
        phone: "12345".into(),
        email: "pas une adresse".into(),
        ..fields()
    };
    let errors = CheckedRequest::parse(&bad, TODAY).unwrap_err();
    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["last_name", "birth_date", "sex", "phone", "email"]);
    assert!(errors.get("phone").unwrap().contains("dix chiffres"));
    let unreachable = RequestFields {
        phone: "".into(),
        ..fields()
    };
    let errors = CheckedRequest::parse(&unreachable, TODAY).unwrap_err();
    assert!(errors.get("phone").unwrap().contains("recontacter"));
}
