//! The decade the generated facts cover, and how a day is written down: as a
//! whole day, a month, a year or not at all, the way analysts record what
//! their sources support.
//!
//! Days are counted as [`Date::first_day`] counts them. Writing a start or
//! an end less precisely only widens the period it stands for (a start's
//! first day moves earlier, an end's last day later), so a period whose days
//! are in order stays in order however it is written.

use super::random::Rng;
use crate::facts::Date;

/// 2014-01-01, the first day of the decade.
pub(super) const FIRST_DAY: i32 = 16_071;
/// 2024-12-31, the last day of the decade.
pub(super) const LAST_DAY: i32 = 20_088;
/// Roughly a year, for drawing spans.
pub(super) const YEAR: i32 = 365;

/// How precisely a day is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Precision {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM`.
    Month,
    /// `YYYY`.
    Year,
    /// An empty cell.
    Unknown,
}

/// How often each precision is drawn, in percent: day, month, year,
/// unknown.
pub(super) type Mix = [u32; 4];

/// Dates of events and mergers: mostly to the day.
pub(super) const EXACT: Mix = [70, 20, 8, 2];
/// Dates of memberships, locations and links: often only a month or a year.
pub(super) const LOOSE: Mix = [45, 30, 17, 8];

impl Precision {
    /// A precision drawn from `mix`.
    pub fn draw(rng: &mut Rng, mix: Mix) -> Precision {
        rng.weighted(&[
            (Precision::Day, mix[0]),
            (Precision::Month, mix[1]),
            (Precision::Year, mix[2]),
            (Precision::Unknown, mix[3]),
        ])
    }
}

/// The day written with `precision`.
pub(super) fn write(day: i32, precision: Precision) -> String {
    let mut text = Date::from_day(day).to_string();
    match precision {
        Precision::Day => {}
        Precision::Month => text.truncate(7),
        Precision::Year => text.truncate(4),
        Precision::Unknown => text.clear(),
    }
    text
}

/// The day written with a precision drawn from `mix`.
pub(super) fn draw(rng: &mut Rng, day: i32, mix: Mix) -> String {
    write(day, Precision::draw(rng, mix))
}

/// The start of a period as analysts record it, loosely; half the time not
/// at all when it lies before the decade, which sources rarely go back to.
pub(super) fn start(rng: &mut Rng, day: i32) -> String {
    if day < FIRST_DAY && rng.percent(50) {
        String::new()
    } else {
        draw(rng, day, LOOSE)
    }
}

/// The end of a period as analysts record it: loosely, or empty when it is
/// `ongoing` at the end of the decade.
pub(super) fn end(rng: &mut Rng, day: i32, ongoing: bool) -> String {
    if ongoing {
        String::new()
    } else {
        draw(rng, day, LOOSE)
    }
}

/// The year of a day, such as `"2016"`.
pub(super) fn year(day: i32) -> String {
    write(day, Precision::Year)
}

/// The year and month (1–12) of a day.
pub(super) fn year_month(day: i32) -> (String, u8) {
    let text = write(day, Precision::Month);
    let month = text[5..].parse().unwrap_or(1);
    (text[..4].to_string(), month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decade_is_2014_to_2024() {
        assert_eq!(Date::ymd(2014, 1, 1).first_day(), FIRST_DAY);
        assert_eq!(Date::ymd(2024, 12, 31).first_day(), LAST_DAY);
    }

    #[test]
    fn writes_each_precision() {
        let day = Date::ymd(2016, 3, 9).first_day();
        assert_eq!(write(day, Precision::Day), "2016-03-09");
        assert_eq!(write(day, Precision::Month), "2016-03");
        assert_eq!(write(day, Precision::Year), "2016");
        assert_eq!(write(day, Precision::Unknown), "");
        assert_eq!(year_month(day), ("2016".to_string(), 3));
    }
}
