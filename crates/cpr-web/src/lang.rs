//! The six official languages of the United Nations, as the site offers them: which one a
//! visitor gets (the URL's prefix first, then `Accept-Language`), which way it is written,
//! and how it writes numbers and dates.

use time::OffsetDateTime;

/// A language of the site. The URL prefix is its code (`/fr/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Ar,
    Zh,
    En,
    Fr,
    Ru,
    Es,
}

impl Lang {
    /// In the order of the UN's own language switch (alphabetical by English name).
    pub const ALL: [Lang; 6] = [Lang::Ar, Lang::Zh, Lang::En, Lang::Fr, Lang::Ru, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Zh => "zh",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ru => "ru",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, for the switch (a visitor looks for their own).
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::Ar => "العربية",
            Lang::Zh => "中文",
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Ru => "Русский",
            Lang::Es => "Español",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The visitor's language from an `Accept-Language` header: the acceptable language
    /// of highest weight that the site has (`fr-CH` counts as French), else English.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language else {
            return Lang::En;
        };
        let mut best: Option<(u16, usize, Lang)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_weight);
            let Some(weight) = weight else { continue };
            let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
            let Some(lang) = Lang::parse(&primary) else {
                continue;
            };
            if weight == 0 {
                continue;
            }
            // Higher weight wins; at equal weight, the earlier in the header.
            let better = match best {
                None => true,
                Some((w, p, _)) => weight > w || (weight == w && position < p),
            };
            if better {
                best = Some((weight, position, lang));
            }
        }
        best.map_or(Lang::En, |(_, _, lang)| lang)
    }

    /// A whole number with the language's grouping of thousands.
    pub fn number(self, n: i64) -> String {
        let separator = match self {
            Lang::En | Lang::Zh => ",",
            Lang::Fr => "\u{202F}",
            Lang::Ru => "\u{00A0}",
            Lang::Es => ".",
            Lang::Ar => "\u{066C}",
        };
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(separator);
            }
            grouped.push(ch);
        }
        if n < 0 {
            grouped.insert(0, '-');
        }
        grouped
    }

    /// A date in the language's order, with the month's name given by the catalogue.
    pub fn date(self, at: OffsetDateTime, month_name: &str) -> String {
        let day = at.day();
        let year = at.year();
        match self {
            Lang::Zh => format!("{year}年{}月{day}日", u8::from(at.month())),
            Lang::Es => format!("{day} de {month_name} de {year}"),
            Lang::Ru => format!("{day} {month_name} {year} г."),
            Lang::En | Lang::Fr | Lang::Ar => format!("{day} {month_name} {year}"),
        }
    }

    /// The time of day, always named as UTC (the whole process runs on UTC).
    pub fn time_utc(self, at: OffsetDateTime) -> String {
        format!("{:02}:{:02} UTC", at.hour(), at.minute())
    }
}

fn parse_weight(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    if !(0.0..=1.0).contains(&value) {
        return None;
    }
    Some((value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_weight_the_site_has_wins() {
        assert_eq!(Lang::negotiate(Some("de-DE,fr;q=0.8,en;q=0.5")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("ar-EG")), Lang::Ar);
        assert_eq!(Lang::negotiate(Some("zh-Hans-CN, en;q=0.9")), Lang::Zh);
        assert_eq!(Lang::negotiate(Some("es;q=0.4, ru;q=0.6")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("fr;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(Some("de, it")), Lang::En);
        assert_eq!(Lang::negotiate(Some(";;;q=abc,,")), Lang::En);
        assert_eq!(Lang::negotiate(None), Lang::En);
        assert_eq!(Lang::negotiate(Some("RU")), Lang::Ru);
    }

    #[test]
    fn numbers_group_thousands_per_language() {
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Fr.number(1234), "1\u{202F}234");
        assert_eq!(Lang::Es.number(-1234), "-1.234");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(Lang::En.number(0), "0");
    }

    #[test]
    fn dates_follow_each_language() {
        let at = time::macros::datetime!(2026-01-03 09:05 UTC);
        assert_eq!(Lang::En.date(at, "January"), "3 January 2026");
        assert_eq!(Lang::Es.date(at, "enero"), "3 de enero de 2026");
        assert_eq!(Lang::Ru.date(at, "января"), "3 января 2026 г.");
        assert_eq!(Lang::Zh.date(at, "一月"), "2026年1月3日");
        assert_eq!(Lang::Fr.time_utc(at), "09:05 UTC");
    }

    #[test]
    fn arabic_alone_is_written_right_to_left() {
        for lang in Lang::ALL {
            assert_eq!(lang.is_rtl(), lang == Lang::Ar);
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }
}
