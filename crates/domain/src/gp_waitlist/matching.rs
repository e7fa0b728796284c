//! Which member GPs a coordinator is offered for a patient: each GP once, at their practice
//! site nearest the patient, the nearest GPs first; a known distance beats an unknown one.

/// Keeps each GP's nearest candidate (`(member id, distance in km, what is offered)`, one
/// per practice site), nearest first; GPs at an unknown distance come last, in the order
/// they came.
pub fn nearest_per_gp<T>(
    candidates: impl IntoIterator<Item = (i64, Option<f64>, T)>,
) -> Vec<(Option<f64>, T)> {
    let mut best: Vec<(i64, Option<f64>, T)> = Vec::new();
    for (member_id, distance, offered) in candidates {
        match best.iter_mut().find(|(id, _, _)| *id == member_id) {
            Some(known) if nearer(distance, known.1) => *known = (member_id, distance, offered),
            Some(_) => {}
            None => best.push((member_id, distance, offered)),
        }
    }
    let far = f64::INFINITY;
    best.sort_by(|a, b| a.1.unwrap_or(far).total_cmp(&b.1.unwrap_or(far)));
    best.into_iter()
        .map(|(_, distance, offered)| (distance, offered))
        .collect()
}

/// Whether `distance` is nearer than `known`: a known distance beats an unknown one.
fn nearer(distance: Option<f64>, known: Option<f64>) -> bool {
    match (distance, known) {
        (Some(d), Some(k)) => d < k,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_per_gp;

    #[test]
    fn each_gp_comes_once_at_their_nearest_site_the_nearest_first() {
        let candidates = [
            (1, Some(12.0), "Dr A, Aix"),
            (2, None, "Dr B, sans adresse"),
            (1, Some(3.5), "Dr A, Cabriès"),
            (3, Some(8.0), "Dr C, Bouc-Bel-Air"),
            (2, Some(20.0), "Dr B, Marseille"),
            (4, None, "Dr D, sans adresse"),
        ];
        assert_eq!(
            nearest_per_gp(candidates),
            [
                (Some(3.5), "Dr A, Cabriès"),
                (Some(8.0), "Dr C, Bouc-Bel-Air"),
                (Some(20.0), "Dr B, Marseille"),
                (None, "Dr D, sans adresse"),
            ]
        );
    }
}
