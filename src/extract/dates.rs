//! Dates stated relative to the publication date ("on Wednesday", "Saturday's match")
//! or in full ("on 12 March").

use chrono::{Datelike, Duration, NaiveDate, Weekday};

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("Monday", Weekday::Mon),
    ("Tuesday", Weekday::Tue),
    ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu),
    ("Friday", Weekday::Fri),
    ("Saturday", Weekday::Sat),
    ("Sunday", Weekday::Sun),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The date a stretch of text names, given the publication date: the latest such
/// weekday on or before publication, or a day and month in the publication's year
/// (the year before when that would be after publication).
pub fn date_in(text: &str, published: Option<NaiveDate>) -> Option<NaiveDate> {
    let published = published?;
    if let Some(d) = absolute(text, published) {
        return Some(d);
    }
    if text.contains("yesterday") {
        return Some(published - Duration::days(1));
    }
    if text.contains("tonight") || text.contains("today") {
        return Some(published);
    }
    for (name, wd) in WEEKDAYS {
        if let Some(i) = text.find(name) {
            // "last Wednesday" and "Wednesday's" both point back; "next Wednesday" forward.
            let before = &text[..i];
            if before.trim_end().ends_with("next") {
                let ahead = (wd.num_days_from_monday() as i64
                    - published.weekday().num_days_from_monday() as i64)
                    .rem_euclid(7);
                return Some(published + Duration::days(if ahead == 0 { 7 } else { ahead }));
            }
            let back = (published.weekday().num_days_from_monday() as i64
                - wd.num_days_from_monday() as i64)
                .rem_euclid(7);
            return Some(published - Duration::days(back));
        }
    }
    None
}

fn absolute(text: &str, published: NaiveDate) -> Option<NaiveDate> {
    for (mi, month) in MONTHS.iter().enumerate() {
        let Some(i) = text.find(month) else { continue };
        // "12 March" or "March 12"
        let day = text[..i]
            .trim_end()
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|d| d.parse::<u32>().ok())
            .or_else(|| {
                text[i + month.len()..]
                    .trim_start()
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|d| d.parse::<u32>().ok())
            })?;
        let m = mi as u32 + 1;
        let d = NaiveDate::from_ymd_opt(published.year(), m, day)?;
        return if d > published {
            NaiveDate::from_ymd_opt(published.year() - 1, m, day)
        } else {
            Some(d)
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekdays_point_back_from_publication() {
        // 2026-04-15 is a Wednesday.
        let p = Some(d(2026, 4, 15));
        assert_eq!(date_in("a 0-0 draw on Wednesday", p), Some(d(2026, 4, 15)));
        assert_eq!(date_in("on Saturday", p), Some(d(2026, 4, 11)));
        assert_eq!(date_in("next Tuesday", p), Some(d(2026, 4, 21)));
        assert_eq!(date_in("on Saturday", None), None);
    }

    #[test]
    fn day_and_month_take_the_publication_year() {
        let p = Some(d(2026, 4, 15));
        assert_eq!(date_in("on 12 March", p), Some(d(2026, 3, 12)));
        assert_eq!(date_in("on 20 December", p), Some(d(2025, 12, 20)));
    }
}
