//! Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each covering its whole
//! period, and an unknown date that is open on both sides.
//!
//! A date keeps the precision the analyst wrote, so that a conclusion prints
//! `2022-11` when that is all a source supports, never an invented day.

use std::fmt;

/// A date with the precision it was written with, or unknown.
///
/// As the start of a period it means its first day; as the end, its last
/// day. Unknown means "since always" as a start and "ongoing" as an end.
/// The derived order sorts unknown first, then by year, month and day, with a
/// missing month or day before any given one (`2022` < `2022-01` <
/// `2022-01-01`); that order is for sorting output, not for comparing periods:
/// use [`Date::first_day`] and [`Date::last_day`] for that.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// 0 when the date is unknown.
    year: u16,
    /// 0 when only the year is known.
    month: u8,
    /// 0 when only the year or month is known.
    day: u8,
}

/// Why a text is not a date. Displayed as the rest of a sentence that
/// begins with the quoted value: `"03/04/2022" is not a date: …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Form,
    /// Written day-first or month-first with slashes or dots, which is
    /// ambiguous (`03/04/2022`).
    Ambiguous,
    /// Of the right form but no such day, such as `2022-02-30`.
    NoSuchDay,
    /// Year first, as it should be, but with slashes or dots for dashes
    /// (`2022/04/03`); holds the date as it should be written.
    Separators(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Form => f.write_str("is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
            DateError::Ambiguous => f.write_str(
                "is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            DateError::NoSuchDay => f.write_str("is no such date; write YYYY, YYYY-MM or YYYY-MM-DD"),
            DateError::Separators(dashed) => {
                write!(f, "is not a date; write it with dashes: {dashed:?}")
            }
        }
    }
}

impl Date {
    /// The unknown date.
    pub const UNKNOWN: Date = Date {
        year: 0,
        month: 0,
        day: 0,
    };

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding spaces ignored).
    /// The empty text is the unknown date.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Date::UNKNOWN);
        }
        if text.contains('/') || (text.contains('.') && text.chars().any(|c| c.is_ascii_digit())) {
            // Only a year first says which of the others is the month.
            let year_first = text
                .split(['/', '.'])
                .next()
                .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
            if !year_first {
                return Err(DateError::Ambiguous);
            }
            let dashed = text.replace(['/', '.'], "-");
            return match Date::parse(&dashed) {
                Ok(_) => Err(DateError::Separators(dashed)),
                Err(why) => Err(why),
            };
        }
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok {
            return Err(DateError::Form);
        }
        let number = |s: &str| s.parse::<u16>().map_err(|_| DateError::Form);
        let year = number(parts[0])?;
        let month = parts.get(1).map(|m| number(m)).transpose()?.unwrap_or(0) as u8;
        let day = parts.get(2).map(|d| number(d)).transpose()?.unwrap_or(0) as u8;
        if year == 0 || (parts.len() > 1 && !(1..=12).contains(&month)) {
            return Err(DateError::NoSuchDay);
        }
        if parts.len() > 2 && (day == 0 || day > days_in_month(year, month)) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }

    /// The date of a day counted by [`Date::first_day`], at full precision.
    /// Days before the first day or after the last day a date can name
    /// (0001-01-01 and 9999-12-31) are those days, so date arithmetic
    /// never wraps around or lands past its own bound.
    pub fn from_day(day_number: i32) -> Date {
        let day_number = day_number.clamp(days_from_civil(1, 1, 1), days_from_civil(9999, 12, 31));
        let (year, month, day) = civil_from_days(day_number);
        Date {
            year: year.clamp(1, 9999) as u16,
            month,
            day,
        }
    }

    /// A whole day.
    pub fn ymd(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Whether the date is known.
    pub fn is_known(self) -> bool {
        self.year != 0
    }

    /// The first day of the period, as days since 1970-01-01; `i32::MIN`
    /// when unknown (a start since always).
    pub fn first_day(self) -> i32 {
        if !self.is_known() {
            return i32::MIN;
        }
        days_from_civil(self.year.into(), self.month.max(1), self.day.max(1))
    }

    /// The last day of the period, as days since 1970-01-01; `i32::MAX` when
    /// unknown (an end that is ongoing).
    pub fn last_day(self) -> i32 {
        if !self.is_known() {
            return i32::MAX;
        }
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        days_from_civil(self.year.into(), month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (0, _, _) => Ok(()),
            (y, 0, _) => write!(f, "{y:04}"),
            (y, m, 0) => write!(f, "{y:04}-{m:02}"),
            (y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i32, month: u8, day: u8) -> i32 {
    let (month, day) = (i32::from(month), i32::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i32) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: Result<&str, DateError>) {
        let got = Date::parse(text).map(|d| d.to_string());
        assert_eq!(got, expected.map(str::to_string), "parsing {text:?}");
    }

    #[test]
    fn parses_each_precision_and_rejects_the_rest() {
        check("2022", Ok("2022"));
        check(" 2022-11 ", Ok("2022-11"));
        check("2022-11-15", Ok("2022-11-15"));
        check("", Ok(""));
        check("2024-02-29", Ok("2024-02-29"));
        check("2023-02-29", Err(DateError::NoSuchDay));
        check("2022-13", Err(DateError::NoSuchDay));
        check("03/04/2022", Err(DateError::Ambiguous));
        check("15.11.2022", Err(DateError::Ambiguous));
        check(
            "2022/04/03",
            Err(DateError::Separators("2022-04-03".into())),
        );
        check("2022.11", Err(DateError::Separators("2022-11".into())));
        check("2022/02/30", Err(DateError::NoSuchDay));
        check("2020.5", Err(DateError::Form));
        check("22-11-15", Err(DateError::Form));
        check("2022-1-5", Err(DateError::Form));
        check("November 2022", Err(DateError::Form));
    }

    #[test]
    fn a_partial_date_covers_its_whole_period() {
        let month = Date::parse("2022-02").expect("a month");
        assert_eq!(Date::from_day(month.first_day()).to_string(), "2022-02-01");
        assert_eq!(Date::from_day(month.last_day()).to_string(), "2022-02-28");
        let year = Date::parse("2016").expect("a year");
        assert_eq!(Date::from_day(year.first_day()).to_string(), "2016-01-01");
        assert_eq!(Date::from_day(year.last_day()).to_string(), "2016-12-31");
        assert_eq!(Date::UNKNOWN.first_day(), i32::MIN);
        assert_eq!(Date::UNKNOWN.last_day(), i32::MAX);
        assert_eq!(Date::parse("1970-01-01").expect("a day").first_day(), 0);
    }
}
