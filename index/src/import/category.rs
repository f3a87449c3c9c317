//! The category (门类) of rows that carry none: given by the clerk, or read from the title row,
//! the sheet name or the file name — and always said in the report.

use crate::api::CategoryChoice;

/// Words that name a category in titles and file names, most specific first.
const KEYWORDS: &[(&str, &str)] = &[
    // A wage adjustment of retirees (离退休人员增加工资) is a wage adjustment.
    ("调资", "工资调整"),
    ("工资调整", "工资调整"),
    ("调整工资", "工资调整"),
    ("增加工资", "工资调整"),
    ("退休", "退休审批"),
    ("退职", "退休审批"),
    ("招工", "招工录用"),
    ("录用", "招工录用"),
    ("招聘", "招工录用"),
    ("民办教师", "民办教师"),
    ("代课教师", "民办教师"),
    ("退伍", "退伍安置"),
    ("复员", "退伍安置"),
    ("转业", "退伍安置"),
    ("安置", "退伍安置"),
    ("工资", "工资调整"),
    ("晋级", "工资调整"),
];

pub fn infer(texts: &[(&str, &str)]) -> Option<CategoryChoice> {
    for (source, text) in texts {
        let simplified = crate::text::to_simplified(text);
        if let Some((_, category)) = KEYWORDS.iter().find(|(word, _)| simplified.contains(word)) {
            return Some(CategoryChoice {
                value: category.to_string(),
                source: source.to_string(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_before_file_name() {
        let c = infer(&[
            ("title", "县第二水泥厂1998年工资调整审批表"),
            ("file_name", "退休.xlsx"),
        ])
        .unwrap();
        assert_eq!(c.value, "工资调整");
        assert_eq!(c.source, "title");
        assert_eq!(
            infer(&[("file_name", "1995年退休審批目錄.csv")])
                .unwrap()
                .value,
            "退休审批"
        );
        assert!(infer(&[("file_name", "目录.csv")]).is_none());
        assert_eq!(
            infer(&[("title", "离退休人员增加工资审批表")])
                .unwrap()
                .value,
            "工资调整"
        );
    }
}
