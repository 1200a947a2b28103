//! Fictitious personal details, so the sample looks like a real export and privacy tests
//! can check that none of it reaches a report. NHS numbers are drawn from the 999 range
//! reserved for testing.

use super::rng::Rng;

const FEMALE: &[&str] = &[
    "Margaret",
    "Susan",
    "Linda",
    "Patricia",
    "Christine",
    "Elaine",
    "Janet",
    "Karen",
    "Julie",
    "Amina",
    "Shabana",
    "Nasreen",
    "Ruksana",
    "Grace",
    "Chiamaka",
    "Mei",
    "Aoife",
    "Joanne",
    "Pauline",
    "Maureen",
    "Zoë",
    "Siobhán",
];
const MALE: &[&str] = &[
    "David", "John", "Michael", "Peter", "Stephen", "Ian", "Gary", "Paul", "Alan", "Mohammed",
    "Imran", "Tariq", "Abdul", "Chinedu", "Kwame", "Wei", "Sean", "Brian", "Keith", "Raymond",
    "Nathan", "José",
];
const SURNAMES: &[&str] = &[
    "Robson",
    "Charlton",
    "Armstrong",
    "Milburn",
    "Hall",
    "Bell",
    "Dodds",
    "Elliott",
    "Scott",
    "Hussain",
    "Khan",
    "Ahmed",
    "Begum",
    "Rahman",
    "Okafor",
    "Mensah",
    "Chen",
    "O'Neill",
    "Murphy",
    "Thompson",
    "Brown",
    "Wilson",
    "Taylor",
    "Nowak",
    "Kowalski",
    "Al-Sayed",
    "Smith-Jones",
    "Ridley",
];

pub fn person(r: &mut Rng, sex: &str) -> (&'static str, &'static str) {
    let forename = match sex {
        "Female" => *r.choose(FEMALE),
        "Male" => *r.choose(MALE),
        _ => {
            let list = if r.chance(0.5) { FEMALE } else { MALE };
            *r.choose(list)
        }
    };
    (forename, *r.choose(SURNAMES))
}

/// A 999-prefixed NHS number with a valid modulus-11 check digit, written `999 123 4567`.
pub fn test_nhs_number(r: &mut Rng) -> String {
    loop {
        let mut d: Vec<u32> = vec![9, 9, 9];
        d.extend((0..6).map(|_| r.range(0, 9) as u32));
        let sum: u32 = d.iter().enumerate().map(|(i, x)| x * (10 - i as u32)).sum();
        let check = (11 - sum % 11) % 11;
        if check == 10 {
            continue;
        }
        d.push(check);
        let s: String = d
            .iter()
            .map(|x| char::from_digit(*x, 10).unwrap_or('0'))
            .collect();
        return format!("{} {} {}", &s[..3], &s[3..6], &s[6..]);
    }
}

const NOTES: &[&str] = &[
    "Lives alone, struggling with stairs",
    "Worried about the operation; husband also unwell",
    "Keen to get back to the allotment",
    "Carer for her mother, \"no time for myself\"",
    "Low mood since retiring, says pain is \"10 out of 10\" most days",
    "Interpreter needed (Urdu)",
    "Lost job due to back pain,\nbenefits review pending",
    "Prefers phone contact; hard of hearing",
    "Walks with a stick, wants to try the walking group",
    "",
];

pub fn note(r: &mut Rng) -> String {
    (*r.choose(NOTES)).to_owned()
}
