//! The vocabulary of generated names, how names are built from it, and how
//! an alias respells one.
//!
//! Every name must be unique across people, groups, places and events, and
//! no alias may be another name or another name's alias. Two rules keep that
//! true without remembering every name:
//!
//! - each kind of name has its own shape (a person has three tokens, the
//!   first a given name; a group starts with a group word; a district ends
//!   in `District`; an event starts with a phrase such as `Siege of`), and
//!   [`NameBook`] refuses repeats within a kind;
//! - an alias replaces exactly one token of a name with its entry in
//!   [`VARIANTS`], or translates a group name. Variant tokens never occur in
//!   a name, and each stands for one token only, so an alias is never a
//!   name and leads back to exactly one.

use rustc_hash::{FxHashMap, FxHashSet};

use super::random::Rng;
use crate::facts::names::name_key;

/// Given names; a person's first and second tokens (own name, father's name).
#[rustfmt::skip]
pub(super) const GIVEN_NAMES: &[&str] = &[
    "Ahmad", "Muhammad", "Ali", "Hassan", "Husayn", "Omar", "Khalid", "Mahmud", "Mustafa",
    "Ibrahim", "Yusuf", "Abdullah", "Abdulrahman", "Abdulaziz", "Hamza", "Bilal", "Tariq", "Ziyad",
    "Salim", "Said", "Sa'd", "Walid", "Nabil", "Faris", "Jamal", "Karim", "Majid", "Rashid",
    "Samir", "Adil", "Anas", "Amir", "Ayman", "Bashir", "Fadi", "Fawzi", "Ghassan", "Haitham",
    "Hisham", "Imad", "Isam", "Jabir", "Kamal", "Louay", "Marwan", "Mazin", "Muhannad", "Munir",
    "Nasir", "Nizar", "Qasim", "Ra'id", "Rami", "Riyad", "Sami", "Shadi", "Suhayb", "Talal",
    "Usama", "Wa'il", "Yasin", "Yahya", "Zuhayr", "Idris", "Musa", "Harun",
];

/// Family names; a person's last token.
#[rustfmt::skip]
pub(super) const FAMILY_NAMES: &[&str] = &[
    "al-Jubouri", "al-Dulaimi", "al-Shammari", "al-Ani", "al-Obeidi", "al-Hamdani", "al-Azzawi",
    "al-Khatib", "al-Hasan", "al-Ahmad", "al-Saleh", "al-Hamad", "al-Khalaf", "al-Aswad",
    "al-Naqib", "al-Masri", "al-Halabi", "al-Homsi", "al-Hourani", "al-Badawi", "al-Tamimi",
    "al-Zubaydi", "al-Janabi", "al-Mashhadani", "al-Rawi", "al-Fahdawi", "al-Issawi", "al-Karbuli",
    "al-Qaysi", "al-Bakri", "al-Harbi", "al-Mutairi", "al-Anzi", "al-Sabawi", "al-Hiti",
    "al-Rifa'i", "al-Sheikh", "al-Agha", "al-Bayati", "al-Naimi", "Hamdan", "Darwish", "Haddad",
    "Najjar", "Qassab", "Sabbagh", "Mansour", "Nasrallah", "Ghanem", "Barakat", "Zaher", "Saqr",
    "Hijazi", "Kurdi", "Turkmani", "Abbas", "Othman", "Rahal", "Fares", "Khoury", "Atassi",
    "Jaber", "Shishakli", "Idlibi", "Kayyali", "Mardini", "Sawwaf", "Tlass", "Zoubi", "Hariri",
    "Miqdad", "Qaddour", "Dabbagh", "Shami", "Bitar", "Kabbani", "Halwani", "Jazairi",
];

/// The words groups are named with, and each one's English translation.
pub(super) const GROUP_WORDS: &[(&str, &str)] = &[
    ("Liwa", "Brigade"),
    ("Jaish", "Army"),
    ("Kata'ib", "Battalions"),
    ("Harakat", "Movement"),
    ("Jabhat", "Front"),
    ("Saraya", "Companies"),
    ("Faylaq", "Legion"),
    ("Ansar", "Supporters"),
    ("Jama'at", "Society"),
    ("Tajammu", "Gathering"),
    ("Firqat", "Division"),
    ("Usbat", "League"),
    ("Alwiyat", "Brigades"),
    ("Majlis", "Council"),
    ("Ahrar", "Free Men"),
    ("Junud", "Soldiers"),
];

/// What a group word is followed by; a lineage tends to keep its stem.
#[rustfmt::skip]
pub(super) const GROUP_STEMS: &[&str] = &[
    "al-Furqan", "al-Qadisiyah", "al-Tawhid", "al-Nasr", "al-Haqq", "al-Fath", "al-Sham",
    "al-Rafidayn", "al-Muhajirin", "al-Ansar", "al-Izza", "al-Karama", "al-Huda", "al-Iman",
    "al-Khilafa", "al-Ummah", "al-Sunna", "al-Yarmuk", "al-Qa'qa", "al-Muthanna", "al-Faruq",
    "al-Sadiq", "al-Mahdi", "al-Amin", "al-Bunyan", "al-Hamza", "al-Zubayr", "al-Miqdad",
    "al-Abbas", "al-Mukhtar", "al-Thawra", "al-Intisar", "al-Sumud", "al-Wa'd", "al-Rahman",
    "al-Salihin", "al-Mujahidin", "al-Mu'tasim", "al-Sultan", "al-Badiya", "al-Jazira", "al-Sahil",
    "al-Asima", "al-Ghuta", "al-Shamal", "al-Janub", "al-Sharq", "al-Fajr", "al-Ahwaz",
    "al-Qassam", "al-Aqsa", "al-Hijra", "al-Ribat", "al-Tamkin", "al-Wafa", "al-Ghadab", "al-Sayf",
    "al-Barq", "al-Ra'd", "al-Asifa",
];

/// Words that begin some place names.
#[rustfmt::skip]
pub(super) const PLACE_WORDS: &[&str] = &[
    "Tall", "Deir", "Kafr", "Ain", "Bir", "Jisr", "Khan", "Ras", "Qasr", "Ma'arrat", "Umm",
];

/// Words that end some place names.
#[rustfmt::skip]
pub(super) const QUALIFIERS: &[&str] = &[
    "al-Sharqi", "al-Gharbi", "al-Kabir", "al-Saghir", "al-Fawqani", "al-Tahtani", "al-Jadida",
];

/// The first syllables of a place's own name.
#[rustfmt::skip]
const SYLLABLE_STARTS: &[&str] = &[
    "Qar", "Zab", "Mal", "Har", "Sab", "Tar", "Nab", "Jar", "Bar", "Dam", "Sal", "Ham", "Raq",
    "Mas", "Sul", "Fal", "Ghaz", "Kur", "Shab", "Bal", "Dar", "Zar", "Man", "Jab", "Naj", "Kas",
    "Rum", "Hal", "Tur", "Wad", "Mish", "Sah",
];

/// The last syllables of a place's own name.
#[rustfmt::skip]
const SYLLABLE_ENDS: &[&str] = &[
    "abash", "iya", "un", "ayn", "ah", "ush", "ara", "iqa", "ama", "ib", "ur", "an", "ija", "ubi",
    "ash", "ida", "aya", "imah", "ali", "aqa", "isa", "afa", "ud", "ira", "im", "uka", "awi",
    "ata", "ul", "in", "unah", "ab",
];

/// The quarters of a city.
#[rustfmt::skip]
pub(super) const QUARTERS: &[&str] = &[
    "al-Zuhur", "al-Salam", "al-Nur", "al-Mahatta", "al-Qusur", "al-Jami", "al-Souq", "al-Qal'a",
    "al-Midan", "al-Sina'a", "al-Matar", "al-Mazra'a", "al-Tahrir", "al-Shuhada", "al-Hamra",
    "al-Jamiliya", "al-Ashrafiya", "al-Sukkari", "al-Firdaws", "al-Ma'adi",
];

/// Countries: invented, after ancient names of the region.
#[rustfmt::skip]
pub(super) const COUNTRIES: &[&str] = &[
    "Aramia", "Qedaria", "Nabatene", "Tanukhia", "Ghassania", "Lakhmia", "Kindara", "Himyara",
    "Sabaria", "Dilmunia", "Maganistan", "Mitannia", "Urartia", "Elamia", "Subartia", "Amurria",
    "Ugaritia", "Qatnaya", "Eblaya", "Mariya", "Emesia", "Adiabene", "Osrhoene", "Commagene",
    "Sophene", "Characene", "Mesenia", "Gordyene", "Hatraya", "Palmyrene",
];

/// Other spellings of tokens that occur in names. A variant never occurs in
/// a name, and no two tokens share one.
pub(super) const VARIANTS: &[(&str, &str)] = &[
    ("Ahmad", "Ahmed"),
    ("Muhammad", "Mohammed"),
    ("Husayn", "Hussein"),
    ("Omar", "Umar"),
    ("Khalid", "Khaled"),
    ("Mahmud", "Mahmoud"),
    ("Mustafa", "Moustafa"),
    ("Yusuf", "Youssef"),
    ("Abdullah", "Abdallah"),
    ("Said", "Saeed"),
    ("Walid", "Waleed"),
    ("Nabil", "Nabeel"),
    ("Jamal", "Gamal"),
    ("Karim", "Kareem"),
    ("Rashid", "Rasheed"),
    ("Samir", "Sameer"),
    ("Usama", "Osama"),
    ("Yasin", "Yassin"),
    ("Ziyad", "Ziad"),
    ("Haitham", "Haytham"),
    ("Wa'il", "Wael"),
    ("Ra'id", "Raed"),
    ("al-Jubouri", "al-Jaburi"),
    ("al-Dulaimi", "al-Dulaymi"),
    ("al-Shammari", "al-Shamari"),
    ("al-Obeidi", "al-Ubaydi"),
    ("al-Azzawi", "al-Azawi"),
    ("al-Khatib", "al-Khateeb"),
    ("al-Zubaydi", "al-Zubaidi"),
    ("al-Tamimi", "al-Temimi"),
    ("Darwish", "Darweesh"),
    ("Haddad", "Hadad"),
    ("Mansour", "Mansur"),
    ("Othman", "Uthman"),
    ("Liwa", "Liwaa"),
    ("Jaish", "Jaysh"),
    ("Kata'ib", "Kataib"),
    ("Harakat", "Haraka"),
    ("Jabhat", "Jabha"),
    ("Faylaq", "Failaq"),
    ("Jama'at", "Jamaat"),
    ("Usbat", "Osbat"),
    ("al-Furqan", "al-Forqan"),
    ("al-Qadisiyah", "al-Qadisiyya"),
    ("al-Tawhid", "al-Towhid"),
    ("al-Muhajirin", "al-Muhajireen"),
    ("al-Khilafa", "al-Khilafah"),
    ("al-Yarmuk", "al-Yarmouk"),
    ("al-Faruq", "al-Farouq"),
    ("al-Mujahidin", "al-Mujahideen"),
    ("al-Salihin", "al-Saliheen"),
    ("Tall", "Tal"),
    ("Deir", "Dayr"),
    ("Kafr", "Kfar"),
    ("Ain", "Ayn"),
    ("Jisr", "Jesr"),
    ("Qasr", "Kasr"),
    ("Ma'arrat", "Maarat"),
    ("al-Sharqi", "ash-Sharqi"),
    ("al-Gharbi", "el-Gharbi"),
    ("al-Kabir", "el-Kebir"),
    ("al-Saghir", "as-Saghir"),
    ("al-Jadida", "el-Jdeideh"),
];

/// Every place's own name, from two syllables.
pub(super) fn place_word(rng: &mut Rng) -> String {
    let start = rng.pick(SYLLABLE_STARTS);
    let end = rng.pick(SYLLABLE_ENDS);
    format!("{start}{end}")
}

/// The number of distinct people [`person_name`] names before it adds a
/// number.
fn person_name_space() -> u64 {
    (GIVEN_NAMES.len() * GIVEN_NAMES.len() * FAMILY_NAMES.len()) as u64
}

/// A stride coprime with the name space, so that walking it by this stride
/// visits every name once, in an order that looks shuffled.
fn person_stride() -> u64 {
    let space = person_name_space();
    let mut stride = space * 618 / 1000;
    while gcd(stride, space) != 1 {
        stride += 1;
    }
    stride
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The name of the person numbered `index`: given name, father's name and
/// family name, as in "Ahmad Khalid al-Jubouri". Different numbers give
/// different names; once every combination is used, a number follows
/// ("Ahmad Khalid al-Jubouri 2").
pub(super) fn person_name(index: u32) -> String {
    let space = person_name_space();
    let index = u64::from(index);
    // Start the walk midway, so that person 0 is not "Ahmad Ahmad al-Jubouri".
    let slot = (index % space * person_stride() + space / 2) % space;
    let given = GIVEN_NAMES.len() as u64;
    let own = GIVEN_NAMES[(slot % given) as usize];
    let father = GIVEN_NAMES[(slot / given % given) as usize];
    let family = FAMILY_NAMES[(slot / given / given) as usize];
    match index / space {
        0 => format!("{own} {father} {family}"),
        round => format!("{own} {father} {family} {}", round + 1),
    }
}

/// Another spelling of `name`: one of its tokens replaced by that token's
/// variant, or `None` when no token has one. `skip` is a spelling already
/// given, so that a second alias differs from the first.
pub(super) fn respell(rng: &mut Rng, name: &str, skip: Option<&str>) -> Option<String> {
    let tokens: Vec<&str> = name.split(' ').collect();
    let mut choices: Vec<String> = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        if let Some(&(_, variant)) = VARIANTS.iter().find(|(word, _)| word == token) {
            let mut spelled = tokens.clone();
            spelled[at] = variant;
            let spelled = spelled.join(" ");
            if Some(spelled.as_str()) != skip {
                choices.push(spelled);
            }
        }
    }
    if choices.is_empty() {
        return None;
    }
    let at = rng.index(choices.len());
    Some(choices.swap_remove(at))
}

/// The English form of a group name: "Jaish al-Furqan 3" becomes "Army of
/// al-Furqan 3".
pub(super) fn translate_group(name: &str) -> Option<String> {
    let (word, rest) = name.split_once(' ')?;
    let (_, english) = GROUP_WORDS.iter().find(|(w, _)| *w == word)?;
    Some(format!("{english} of {rest}"))
}

/// Hands out names of one kind, never the same one twice (as
/// [`name_key`] compares them): a taken name gets the next free number.
#[derive(Debug, Default)]
pub(super) struct NameBook {
    taken: FxHashSet<String>,
    next_number: FxHashMap<String, u32>,
}

impl NameBook {
    /// Whether `name` is still free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(&name_key(name))
    }

    /// `name` if it is free, else `name` followed by the lowest free number
    /// from 2.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name_key(&name)) {
            return name;
        }
        let next = self.next_number.entry(name.clone()).or_insert(2);
        loop {
            let numbered = format!("{name} {next}");
            *next += 1;
            if self.taken.insert(name_key(&numbered)) {
                return numbered;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token that can occur in a generated name, lowercased.
    fn name_tokens() -> FxHashSet<String> {
        let mut tokens: Vec<&str> = Vec::new();
        tokens.extend(GIVEN_NAMES);
        tokens.extend(FAMILY_NAMES);
        tokens.extend(GROUP_WORDS.iter().map(|(word, _)| *word));
        tokens.extend(GROUP_STEMS);
        tokens.extend(PLACE_WORDS);
        tokens.extend(QUALIFIERS);
        tokens.extend(QUARTERS);
        tokens.extend(COUNTRIES);
        tokens.extend(["District", "Governorate"]);
        let mut tokens: FxHashSet<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
        for start in SYLLABLE_STARTS {
            for end in SYLLABLE_ENDS {
                tokens.insert(format!("{start}{end}").to_lowercase());
            }
        }
        tokens
    }

    #[test]
    fn variants_never_occur_in_names_and_stand_for_one_token() {
        let tokens = name_tokens();
        let mut seen = FxHashSet::default();
        for (word, variant) in VARIANTS {
            assert!(
                tokens.contains(&word.to_lowercase()),
                "{word:?} is in no name"
            );
            assert!(
                !tokens.contains(&variant.to_lowercase()),
                "{variant:?} is a name token"
            );
            assert!(
                seen.insert(variant.to_lowercase()),
                "{variant:?} stands for two tokens"
            );
        }
    }

    #[test]
    fn english_group_words_are_not_name_tokens() {
        let tokens = name_tokens();
        for (_, english) in GROUP_WORDS {
            for token in english.split(' ') {
                assert!(!tokens.contains(&token.to_lowercase()), "{token:?}");
            }
        }
        assert_eq!(
            translate_group("Jaish al-Furqan 3").as_deref(),
            Some("Army of al-Furqan 3")
        );
    }

    #[test]
    fn person_names_are_distinct_until_numbered() {
        let space = person_name_space() as u32;
        let mut names = FxHashSet::default();
        for index in (0..space).step_by(97).chain([space - 1]) {
            let name = person_name(index);
            assert_eq!(name.split(' ').count(), 3, "{name:?}");
            assert!(names.insert(name));
        }
        assert!(names.insert(person_name(space)));
        assert!(person_name(space).ends_with(" 2"));
        assert_eq!(gcd(person_stride(), person_name_space()), 1);
    }

    #[test]
    fn respelling_changes_one_token() {
        let mut rng = Rng::new(1, "test");
        let alias = respell(&mut rng, "Tall Qarabash al-Sharqi", None);
        assert!(matches!(
            alias.as_deref(),
            Some("Tal Qarabash al-Sharqi" | "Tall Qarabash ash-Sharqi")
        ));
        let other = respell(&mut rng, "Tall Qarabash al-Sharqi", alias.as_deref());
        assert!(other.is_some() && other != alias);
        assert_eq!(respell(&mut rng, "Qarabash", None), None);
    }

    #[test]
    fn the_name_book_numbers_repeats() {
        let mut book = NameBook::default();
        assert_eq!(book.claim("Liwa al-Nasr".into()), "Liwa al-Nasr");
        assert_eq!(book.claim("liwa al-nasr".into()), "liwa al-nasr 2");
        assert_eq!(book.claim("Liwa al-Nasr".into()), "Liwa al-Nasr 3");
        assert!(!book.is_free("LIWA AL-NASR 2"));
    }
}
