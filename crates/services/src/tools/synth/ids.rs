//! Synthetic identifiers: RPPS, SIRET and FINESS numbers (Luhn-valid, in ranges maillage
//! keeps for synthetic data) and fictional phone numbers.
//!
//! * RPPS: `99` + 8 digits + Luhn key. Real RPPS numbers seen in the open data start with
//!   `1` (`10…`); maillage reserves the `99` prefix for synthetic professionals, so an
//!   importer can recognise them. The 8 digits are a bijection of the professional's
//!   index that depends on the seed, so identifiers are unique within a file (up to 10⁸).
//! * SIRET: SIREN `999` + 5 digits + Luhn key, then a NIC of 4 digits + the SIRET's Luhn
//!   key. The first 100,000 structures get distinct SIRENs; beyond, SIRENs are reused
//!   with another NIC, so at France scale one SIREN holds several unrelated sites.
//! * FINESS: the department (2 characters, or 3 overseas), `99` (`9` overseas), a
//!   4-digit sequence and a Luhn key. For Corsica (`2A`, `2B`) the letter counts as 0 in
//!   the key, which is our guess. None of these ranges is known to be unallocated by the
//!   real registries: never load synthetic files into a real directory.
//! * Phones: `0999` + 6 digits, in the 09 99 range set aside for fiction.

/// The Luhn key of `body` (letters count as 0).
pub(super) fn luhn_key(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                0
            };
            if i % 2 == 0 {
                let double = d * 2;
                if double > 9 { double - 9 } else { double }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// Whether `number` passes the Luhn check (letters count as 0).
#[cfg(test)]
pub(super) fn luhn_valid(number: &str) -> bool {
    number.is_ascii() && number.len() > 1 && number.ends_with(luhn_key(&number[..number.len() - 1]))
}

fn with_key(mut body: String) -> String {
    let key = luhn_key(&body);
    body.push(key);
    body
}

/// Multipliers coprime with 10⁸, so that `n → n × M + c (mod 10⁸)` is a bijection.
const RPPS_MULTIPLIERS: [u64; 2] = [48_271_139, 69_069_001];
const RPPS_SPACE: u64 = 100_000_000;

/// The offset of the identifiers for a seed (SplitMix64 of the seed).
pub(super) fn rpps_offset(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % RPPS_SPACE
}

/// The 11-digit RPPS number of the professional at `index`: an affine bijection of the
/// index, its 8 digits reversed, and a second affine bijection, so that consecutive
/// professionals do not get visibly related numbers.
pub(super) fn rpps(index: u64, offset: u64) -> String {
    let affine = |n: u64, m: u64| (n % RPPS_SPACE * m + offset) % RPPS_SPACE;
    let first = affine(index, RPPS_MULTIPLIERS[0]);
    let reversed = format!("{first:08}").chars().rev().collect::<String>();
    let n = affine(reversed.parse().unwrap_or(0), RPPS_MULTIPLIERS[1]);
    with_key(format!("99{n:08}"))
}

/// The 14-digit SIRET of the structure at `sequence`.
pub(super) fn siret(sequence: u64) -> String {
    let siren = with_key(format!("999{:05}", sequence % 100_000));
    with_key(format!("{siren}{:04}", (sequence / 100_000) % 10_000 + 1))
}

/// The 9-character FINESS number `sequence` of a department.
pub(super) fn finess(departement: &str, sequence: u32) -> String {
    let prefix = if departement.len() == 3 {
        format!("{departement}9")
    } else {
        format!("{departement:0>2}99")
    };
    with_key(format!("{prefix}{:04}", sequence % 10_000))
}

/// A fictional 10-digit phone number.
pub(super) fn phone(rng: &mut fastrand::Rng) -> String {
    format!("0999{:06}", rng.u32(0..1_000_000))
}
