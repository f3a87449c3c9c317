//! How one person appears in one record row: the canonical values passed through the mess a
//! vendor or clerk of that file and year would have produced, with every deviation tagged.

use rand::Rng;

use super::idcard::to_id15;
use super::mess::{self, DateStyle};
use super::people::Person;

/// Conventions shared by all rows of one file (one vendor, one typist).
pub struct FileStyle {
    pub date: DateStyle,
    /// Pads two-character names with an ideographic space to align the column.
    pub pad_two_char: bool,
    /// Writes unit names in traditional characters.
    pub traditional_unit: bool,
    /// Whether the file has an ID column at all.
    pub id_column: bool,
}

impl FileStyle {
    pub fn random(rng: &mut impl Rng) -> FileStyle {
        FileStyle {
            date: mess::file_date_style(rng),
            pad_two_char: rng.gen_bool(0.2),
            traditional_unit: rng.gen_bool(0.04),
            id_column: true,
        }
    }
}

/// The values of a row as written, with the tags of what was done to them.
pub struct Written {
    pub name: String,
    pub birth: String,
    pub hired: String,
    pub id: String,
    pub unit: String,
    /// Excel stored the 18-digit ID as a number (digits after the 15th are lost).
    pub id_as_number: Option<f64>,
    /// Excel stored year.month as a number (1956.10 becomes 1956.1).
    pub birth_as_number: Option<f64>,
    pub tags: Vec<&'static str>,
}

fn write_name(
    p: &Person,
    style: &FileStyle,
    rng: &mut impl Rng,
    tags: &mut Vec<&'static str>,
) -> String {
    if p.name.minority {
        if rng.gen_bool(0.5) {
            tags.push("middle_dot");
            return mess::other_dot(&p.full, rng);
        }
        return p.full.clone();
    }
    let mut given = p.name.given.clone();
    if given.chars().any(mess::is_rare) && rng.gen_bool(0.3) {
        tags.push("untypeable");
        given = mess::untypeable(&given);
    } else if mess::has_variant(&given) && rng.gen_bool(0.3) {
        tags.push("variant_char");
        given = mess::common_variant(&given);
    } else if rng.gen_bool(0.002) {
        tags.push("untypeable");
        given = mess::untypeable(&given);
    } else if rng.gen_bool(0.015) {
        if let Some(h) = mess::homophone(&given, rng) {
            tags.push("homophone");
            given = h;
        }
    }
    let mut name = format!("{}{}", p.name.surname, given);
    if rng.gen_bool(0.025) && mess::has_traditional(&name) {
        tags.push("traditional_name");
        name = mess::traditional(&name);
    }
    if style.pad_two_char && name.chars().count() == 2 {
        tags.push("ideographic_space");
        name = mess::pad_ideographic(&name);
    }
    name
}

/// Writes person `p` as a row of a record of `year` in unit `unit`.
pub fn write_person(
    p: &Person,
    unit: &str,
    year: i32,
    style: &FileStyle,
    rng: &mut impl Rng,
) -> Written {
    let mut tags = Vec::new();
    let name = write_name(p, style, rng, &mut tags);

    let full_width = rng.gen_bool(0.02);
    if full_width {
        tags.push("fullwidth");
    }

    let mut date_style = style.date;
    if rng.gen_bool(0.05) {
        date_style = mess::other_date_style(style.date, rng);
        tags.push("date_variant");
    }
    let (by, bm) = (
        chrono::Datelike::year(&p.birth),
        chrono::Datelike::month(&p.birth),
    );
    let mut birth = mess::ym(date_style, by, bm);
    let mut birth_as_number = None;
    if date_style == DateStyle::Dot && !full_width && rng.gen_bool(0.02) {
        tags.push("date_as_number");
        birth_as_number = Some(by as f64 + bm as f64 / 100.0);
    }
    let hired = mess::ym(date_style, p.hired.0, p.hired.1);

    let mut id_as_number = None;
    let mut id = if !style.id_column || rng.gen_bool(0.03) {
        tags.push("id_missing");
        String::new()
    } else if year < 1999 {
        tags.push("id15");
        to_id15(&p.id18)
    } else if p.id18.ends_with('X') && rng.gen_bool(0.4) {
        tags.push("lowercase_x");
        p.id18.replace('X', "x")
    } else {
        if !full_width && rng.gen_bool(0.005) {
            tags.push("id_as_number");
            // Excel keeps 15 significant digits.
            let n: f64 = p.id18[..15].parse::<f64>().unwrap_or(0.0) * 1000.0;
            id_as_number = Some(n);
        }
        p.id18.clone()
    };
    if full_width {
        id = mess::fullwidth(&id);
        birth = mess::fullwidth(&birth);
    }

    let unit = if style.traditional_unit || rng.gen_bool(0.015) {
        tags.push("traditional_unit");
        mess::traditional(unit)
    } else {
        unit.to_string()
    };
    Written {
        name,
        birth,
        hired,
        id,
        unit,
        id_as_number,
        birth_as_number,
        tags,
    }
}
