//! The population and its careers: hiring, yearly wage adjustments, transfers and retirement
//! in every work unit from 1985 to 2010. Everything later written to files comes from here.

use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate};
use rand::Rng;

use super::idcard::make_id18;
use super::names::{random_name, Name};
use super::units::{AREA_CODES, AREA_XINJIANG, UNITS};

pub const FIRST_YEAR: i32 = 1985;
pub const LAST_YEAR: i32 = 2010;
/// Years of nation-wide wage reforms; units adjust in most of them and rarely in between.
const NATIONAL_YEARS: &[i32] = &[
    1985, 1987, 1989, 1990, 1992, 1993, 1995, 1997, 1999, 2001, 2003, 2006, 2008, 2010,
];
pub const EDUCATION: &[&str] = &["初中", "高中", "中专", "技校", "大专", "小学"];

pub struct Person {
    pub name: Name,
    pub full: String,
    pub male: bool,
    pub birth: NaiveDate,
    pub id18: String,
    /// 参加工作时间 (year, month).
    pub hired: (i32, u32),
    pub education: &'static str,
    /// Female cadres retire at 55, female workers at 50, men at 60.
    pub cadre: bool,
}

impl Person {
    pub fn retirement_date(&self) -> NaiveDate {
        let age = if self.male {
            60
        } else if self.cadre {
            55
        } else {
            50
        };
        // Retirement takes effect the month after the birthday month.
        let d = self.birth.with_day(1).unwrap() + Months::new(age * 12 + 1);
        d.with_day(1).unwrap()
    }
}

pub struct WageRow {
    pub person: usize,
    pub before: u32,
    pub after: u32,
    pub remark: String,
}

pub struct WageDoc {
    pub unit: usize,
    pub year: i32,
    pub rows: Vec<WageRow>,
}

pub struct Retirement {
    pub person: usize,
    pub unit: usize,
    pub date: NaiveDate,
    pub approved: NaiveDate,
}

pub struct RecruitDoc {
    pub unit: usize,
    pub year: i32,
    pub approved: NaiveDate,
    pub persons: Vec<usize>,
}

#[derive(Default)]
pub struct World {
    pub persons: Vec<Person>,
    pub wage_docs: Vec<WageDoc>,
    pub retirements: Vec<Retirement>,
    pub recruit_docs: Vec<RecruitDoc>,
}

impl World {
    pub fn entry_count(&self) -> usize {
        self.wage_docs.iter().map(|d| d.rows.len()).sum::<usize>()
            + self.retirements.len()
            + self
                .recruit_docs
                .iter()
                .map(|d| d.persons.len())
                .sum::<usize>()
    }
}

fn random_date(rng: &mut impl Rng, year: i32) -> NaiveDate {
    let ord = rng.gen_range(1..=365);
    NaiveDate::from_yo_opt(year, ord).unwrap()
}

struct Builder<'r, R: Rng> {
    rng: &'r mut R,
    world: World,
    ids: HashSet<String>,
    wage: Vec<u32>,
}

impl<R: Rng> Builder<'_, R> {
    fn new_person(&mut self, birth_year: i32, hired: (i32, u32), factory: bool) -> usize {
        let male = self.rng.gen_bool(if factory { 0.6 } else { 0.5 });
        let name = random_name(self.rng, male);
        let birth = random_date(self.rng, birth_year);
        let area = if name.minority {
            AREA_XINJIANG
        } else {
            AREA_CODES[self.rng.gen_range(0..AREA_CODES.len())]
        };
        let id18 = loop {
            let id = make_id18(area, birth, self.rng.gen_range(0..1000), male);
            if self.ids.insert(id.clone()) {
                break id;
            }
        };
        let person = Person {
            full: name.full(),
            name,
            male,
            birth,
            id18,
            hired,
            education: EDUCATION[self.rng.gen_range(0..EDUCATION.len())],
            cadre: !factory && self.rng.gen_bool(0.6),
        };
        self.world.persons.push(person);
        self.wage.push(0);
        self.world.persons.len() - 1
    }
}

/// Starting wage of a new hire in a given year (yuan per month).
fn entry_wage(year: i32) -> f64 {
    38.0 * 1.13f64.powi(year - FIRST_YEAR)
}

/// Runs the careers; `scale` is the mean head count of a unit.
pub fn simulate(rng: &mut impl Rng, scale: f64) -> World {
    let mut b = Builder {
        rng,
        world: World::default(),
        ids: HashSet::new(),
        wage: Vec::new(),
    };
    let n_units = UNITS.len();
    let target: Vec<f64> = UNITS.iter().map(|u| (u.1 * scale).max(3.0)).collect();
    let mut staff: Vec<Vec<usize>> = vec![Vec::new(); n_units];
    let mut remarks: Vec<Option<String>> = Vec::new();

    for (u, unit_staff) in staff.iter_mut().enumerate() {
        let factory = UNITS[u].2;
        for _ in 0..target[u].round() as usize {
            let p = loop {
                let by = b.rng.gen_range(1926..=1966);
                let hy = (by + b.rng.gen_range(17..=23)).min(FIRST_YEAR - 1);
                let hm = b.rng.gen_range(1..=12);
                let p = b.new_person(by, (hy, hm), factory);
                if b.world.persons[p].retirement_date().year() > FIRST_YEAR {
                    break p;
                }
                // Already retired before the records start: drop and draw again.
                b.world.persons.pop();
                b.wage.pop();
            };
            let seniority = (FIRST_YEAR - b.world.persons[p].hired.0) as f64;
            b.wage[p] =
                (entry_wage(FIRST_YEAR) + seniority * 2.5 + b.rng.gen_range(0.0..15.0)) as u32;
            unit_staff.push(p);
        }
    }

    for year in FIRST_YEAR..=LAST_YEAR {
        remarks.resize(b.world.persons.len(), None);
        // Retirements of the year.
        for (u, unit_staff) in staff.iter_mut().enumerate() {
            unit_staff.retain(|&p| {
                let date = b.world.persons[p].retirement_date();
                if date.year() != year {
                    return true;
                }
                let approved = date - chrono::Days::new(b.rng.gen_range(10..80));
                b.world.retirements.push(Retirement {
                    person: p,
                    unit: u,
                    date,
                    approved,
                });
                false
            });
        }
        // Transfers between units.
        if year > FIRST_YEAR {
            for u in 0..n_units {
                let mut i = 0;
                while i < staff[u].len() {
                    if b.rng.gen_bool(0.012) {
                        let to = (u + b.rng.gen_range(1..n_units)) % n_units;
                        let p = staff[u].swap_remove(i);
                        remarks[p] = Some(format!("由{}调入", UNITS[u].0));
                        staff[to].push(p);
                    } else {
                        i += 1;
                    }
                }
            }
        }
        // Hiring back to the unit's size; factories stop hiring during the late-90s reform.
        for u in 0..n_units {
            let factory = UNITS[u].2;
            let shrink = factory && (1998..=2004).contains(&year);
            let want = if shrink {
                0.0
            } else {
                target[u] * (1.0 + 0.01 * (year - FIRST_YEAR) as f64)
            };
            let n = (want.round() as usize).saturating_sub(staff[u].len());
            if n == 0 {
                continue;
            }
            let approved = random_date(b.rng, year);
            let mut persons = Vec::new();
            for _ in 0..n {
                let by = year - b.rng.gen_range(18..=24);
                let p = b.new_person(by, (year, approved.month()), factory);
                b.wage[p] = (entry_wage(year) * b.rng.gen_range(0.95..1.1)) as u32;
                remarks.push(Some("新进".into()));
                persons.push(p);
                staff[u].push(p);
            }
            b.world.recruit_docs.push(RecruitDoc {
                unit: u,
                year,
                approved,
                persons,
            });
        }
        // Wage adjustments.
        let national = NATIONAL_YEARS.contains(&year);
        for (u, unit_staff) in staff.iter_mut().enumerate() {
            if !b.rng.gen_bool(if national { 0.85 } else { 0.08 }) {
                continue;
            }
            unit_staff.sort_unstable();
            let mut rows = Vec::new();
            for &p in unit_staff.iter() {
                let before = b.wage[p];
                let raise = (before as f64 * b.rng.gen_range(0.12..0.34)).max(4.0) as u32;
                let after = before + raise;
                b.wage[p] = after;
                let remark = match remarks[p].take() {
                    Some(r) => r,
                    None if b.rng.gen_bool(0.04) => "晋级".into(),
                    None => String::new(),
                };
                rows.push(WageRow {
                    person: p,
                    before,
                    after,
                    remark,
                });
            }
            b.world.wage_docs.push(WageDoc {
                unit: u,
                year,
                rows,
            });
        }
    }
    b.world
}
