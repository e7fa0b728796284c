//! French public holidays (jours fériés), by year and department: the eleven national ones,
//! and the two more of Alsace-Moselle (Good Friday and Saint Stephen's Day).

use jiff::civil::Date;

/// The departments of Alsace-Moselle, where local law adds two holidays.
const ALSACE_MOSELLE: [&str; 3] = ["57", "67", "68"];

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of 1876).
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).expect("Easter falls in March or April")
}

/// A public holiday: its date and French name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub name: &'static str,
}

/// The public holidays of `year` in the department `departement`, in date order.
pub fn holidays(year: i16, departement: &str) -> Vec<Holiday> {
    let fixed = |month: i8, day: i8| Date::new(year, month, day).expect("a valid fixed date");
    let easter = easter(year);
    let after_easter = |days: i32| {
        easter
            .checked_add(jiff::Span::new().days(days))
            .expect("in range")
    };
    let mut list = vec![
        Holiday {
            date: fixed(1, 1),
            name: "Jour de l’an",
        },
        Holiday {
            date: after_easter(1),
            name: "Lundi de Pâques",
        },
        Holiday {
            date: fixed(5, 1),
            name: "Fête du Travail",
        },
        Holiday {
            date: fixed(5, 8),
            name: "Victoire 1945",
        },
        Holiday {
            date: after_easter(39),
            name: "Ascension",
        },
        Holiday {
            date: after_easter(50),
            name: "Lundi de Pentecôte",
        },
        Holiday {
            date: fixed(7, 14),
            name: "Fête nationale",
        },
        Holiday {
            date: fixed(8, 15),
            name: "Assomption",
        },
        Holiday {
            date: fixed(11, 1),
            name: "Toussaint",
        },
        Holiday {
            date: fixed(11, 11),
            name: "Armistice 1918",
        },
        Holiday {
            date: fixed(12, 25),
            name: "Noël",
        },
    ];
    if ALSACE_MOSELLE.contains(&departement) {
        list.push(Holiday {
            date: after_easter(-2),
            name: "Vendredi saint",
        });
        list.push(Holiday {
            date: fixed(12, 26),
            name: "Saint-Étienne",
        });
    }
    list.sort_by_key(|holiday| holiday.date);
    list
}

/// The holiday on `date` in `departement`, if it is one.
pub fn holiday_on(date: Date, departement: &str) -> Option<Holiday> {
    holidays(date.year(), departement)
        .into_iter()
        .find(|holiday| holiday.date == date)
}
