//! The map: countries divided into governorates, districts, towns and the
//! quarters of cities, held in memory (it is small) so that locations and
//! events can be put somewhere that exists, and written to `places.csv`.
//!
//! A district is named after its seat and a governorate after its capital,
//! as in the region ("Kafr Nabl", "Kafr Nabl District"); a city's quarters
//! carry the city's name ("al-Zuhur (Kafr Nabl)") so that every place name is
//! unique.

use std::io::Write;

use super::random::Rng;
use super::sheets::FactWriter;
use super::words::{self, NameBook, COUNTRIES, PLACE_WORDS, QUALIFIERS, QUARTERS};
use crate::error::Result;

/// What a place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Country,
    Governorate,
    District,
    City,
    Town,
    Village,
    Neighbourhood,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Governorate => "governorate",
            Kind::District => "district",
            Kind::City => "city",
            Kind::Town => "town",
            Kind::Village => "village",
            Kind::Neighbourhood => "neighbourhood",
        }
    }
}

/// One place.
#[derive(Debug)]
pub(super) struct Place {
    pub name: String,
    /// The place it lies in; `None` for a country, and for the rare village
    /// an analyst could not put on the map.
    pub within: Option<u32>,
    /// `None` for the rare village whose kind is not recorded.
    pub kind: Option<Kind>,
}

/// A governorate, which is where groups have their home.
#[derive(Debug)]
struct Governorate {
    place: u32,
    /// The places in it where people stay and things happen: its districts,
    /// towns and quarters.
    local: Vec<u32>,
}

/// The whole map.
#[derive(Debug)]
pub(super) struct Places {
    /// Every place, each after the place it lies in.
    pub list: Vec<Place>,
    governorates: Vec<Governorate>,
}

impl Places {
    /// Draws a map of `governorates` governorates, about sixteen to a
    /// country.
    pub fn build(governorates: u32, rng: &mut Rng) -> Places {
        let governorates = governorates.max(1);
        let countries = governorates.div_ceil(16);
        let mut places = Places {
            list: Vec::new(),
            governorates: Vec::with_capacity(governorates as usize),
        };
        let mut names = NameBook::default();
        for country in 0..countries {
            let name = COUNTRIES[country as usize % COUNTRIES.len()];
            let name = names.claim(name.to_string());
            places.push(name, None, Kind::Country);
        }
        for governorate in 0..governorates {
            let country = u64::from(governorate) * u64::from(countries) / u64::from(governorates);
            places.add_governorate(country as u32, &mut names, rng);
        }
        places
    }

    fn push(&mut self, name: String, within: Option<u32>, kind: Kind) -> u32 {
        self.list.push(Place {
            name,
            within,
            kind: Some(kind),
        });
        (self.list.len() - 1) as u32
    }

    fn add_governorate(&mut self, country: u32, names: &mut NameBook, rng: &mut Rng) {
        let mut local = Vec::new();
        let capital = town_name(names, rng);
        let governorate = self.push(
            format!("{capital} Governorate"),
            Some(country),
            Kind::Governorate,
        );
        for district in 0..rng.between(4, 10) {
            let seat = if district == 0 {
                capital.clone()
            } else {
                town_name(names, rng)
            };
            let district_place = self.push(
                format!("{seat} District"),
                Some(governorate),
                Kind::District,
            );
            local.push(district_place);
            for town in 0..rng.between(4, 12) {
                let (name, kind) = match (district, town) {
                    (0, 0) => (seat.clone(), Kind::City),
                    (_, 0) => (
                        seat.clone(),
                        rng.weighted(&[(Kind::City, 40), (Kind::Town, 60)]),
                    ),
                    _ => (
                        town_name(names, rng),
                        rng.weighted(&[(Kind::City, 6), (Kind::Town, 34), (Kind::Village, 60)]),
                    ),
                };
                let town_place = self.push(name, Some(district_place), kind);
                local.push(town_place);
                if kind == Kind::Village {
                    // Now and then a village is listed without its district
                    // or without saying it is a village.
                    let place = &mut self.list[town_place as usize];
                    match rng.below(200) {
                        0 => place.within = None,
                        1 | 2 => place.kind = None,
                        _ => {}
                    }
                }
                if kind == Kind::City {
                    self.add_quarters(town_place, &mut local, rng);
                }
            }
        }
        self.governorates.push(Governorate {
            place: governorate,
            local,
        });
    }

    fn add_quarters(&mut self, city: u32, local: &mut Vec<u32>, rng: &mut Rng) {
        let mut quarters: Vec<&str> = QUARTERS.to_vec();
        for _ in 0..rng.between(3, 10) {
            let quarter = quarters.swap_remove(rng.index(quarters.len()));
            let name = format!("{quarter} ({})", self.list[city as usize].name);
            local.push(self.push(name, Some(city), Kind::Neighbourhood));
        }
    }

    /// How many governorates there are.
    pub fn governorate_count(&self) -> usize {
        self.governorates.len()
    }

    /// A place where things happen in the governorate numbered `governorate`.
    pub fn in_governorate(&self, rng: &mut Rng, governorate: u32) -> u32 {
        *rng.pick(&self.governorate(governorate).local)
    }

    /// A place where things happen, anywhere.
    pub fn anywhere(&self, rng: &mut Rng) -> u32 {
        let governorate = rng.index(self.governorates.len()) as u32;
        self.in_governorate(rng, governorate)
    }

    /// A place mostly in `home`, sometimes elsewhere: people and groups
    /// travel.
    pub fn near(&self, rng: &mut Rng, home: u32) -> u32 {
        if rng.percent(85) {
            self.in_governorate(rng, home)
        } else {
            self.anywhere(rng)
        }
    }

    /// The name of a place.
    pub fn name(&self, place: u32) -> &str {
        &self.list[place as usize].name
    }

    /// The name of the governorate numbered `governorate`.
    pub fn governorate_name(&self, governorate: u32) -> &str {
        self.name(self.governorate(governorate).place)
    }

    fn governorate(&self, governorate: u32) -> &Governorate {
        &self.governorates[governorate as usize]
    }

    /// Writes `places.csv`, and other spellings of some town, district and
    /// governorate names to `aliases.csv`.
    pub fn write<W: Write>(
        &self,
        rng: &mut Rng,
        places: &mut FactWriter<W>,
        aliases: &mut FactWriter<W>,
    ) -> Result<()> {
        for place in &self.list {
            let within = place.within.map_or("", |w| self.name(w));
            let kind = place.kind.map_or("", Kind::word);
            places.row(&[&place.name, within, kind])?;
            let aliased = matches!(
                place.kind,
                Some(Kind::Governorate | Kind::District | Kind::City | Kind::Town)
            );
            if aliased && rng.percent(12) {
                let first = words::respell(rng, &place.name, None);
                if let Some(first) = &first {
                    aliases.row(&[first, &place.name])?;
                    if rng.percent(20) {
                        if let Some(second) = words::respell(rng, &place.name, Some(first)) {
                            aliases.row(&[&second, &place.name])?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A new town name: "Tall Qarabash", "Qarabash", "Qarabash al-Sharqi" or
/// "Tall Qarabash al-Sharqi".
fn town_name(names: &mut NameBook, rng: &mut Rng) -> String {
    let mut name = String::new();
    for _ in 0..8 {
        let word = words::place_word(rng);
        name = match rng.below(20) {
            0..=6 => format!("{} {word}", rng.pick(PLACE_WORDS)),
            7..=13 => word,
            14..=16 => format!("{word} {}", rng.pick(QUALIFIERS)),
            _ => format!("{} {word} {}", rng.pick(PLACE_WORDS), rng.pick(QUALIFIERS)),
        };
        if names.is_free(&name) {
            break;
        }
    }
    names.claim(name)
}
