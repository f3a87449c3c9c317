//! The catalogue fields the archive understands, and the header names vendors use for them
//! (the importer matches headers against these: `import::fields`).

use serde::{Deserialize, Serialize};

/// A column's meaning. Everything else in a catalogue is kept as an extra (header, value) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    RefCode,
    Fonds,
    CatalogueNo,
    VolumeNo,
    ItemNo,
    Category,
    Title,
    Year,
    Creator,
    DocNumber,
    Date,
    Page,
    PageCount,
    Retention,
    Access,
    FullText,
    Name,
    Gender,
    BirthDate,
    IdNumber,
    WorkUnit,
    WorkStart,
    RetireDate,
    WageBefore,
    WageAfter,
}

/// Header names by field. Matching ignores whitespace, width, traditional forms and a bracketed
/// unit such as "（元）", so only the words themselves are listed.
pub(crate) const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::RefCode, &["档号", "档案号", "档案编号", "案卷档号"]),
    (Field::Fonds, &["全宗号", "全宗"]),
    (Field::CatalogueNo, &["目录号"]),
    (Field::VolumeNo, &["案卷号", "卷号"]),
    (Field::ItemNo, &["件号"]),
    (Field::Category, &["类别", "档案类别", "门类", "档案门类"]),
    (Field::Title, &["题名", "文件题名", "案卷题名", "标题"]),
    (Field::Year, &["年度", "年份"]),
    (Field::Creator, &["责任者", "发文机关", "发文单位"]),
    (Field::DocNumber, &["文号", "发文字号", "发文号"]),
    (
        Field::Date,
        &["日期", "成文日期", "形成时间", "发文日期", "形成日期"],
    ),
    (Field::Page, &["页号", "页次", "所在页", "所在页码"]),
    (Field::PageCount, &["页数"]),
    (Field::Retention, &["保管期限"]),
    (
        Field::Access,
        &["开放标识", "开放状态", "开放情况", "开放属性"],
    ),
    (Field::FullText, &["全文", "ocr全文", "正文", "ocr文本"]),
    (Field::Name, &["姓名"]),
    (Field::Gender, &["性别"]),
    (
        Field::BirthDate,
        &["出生年月", "出生日期", "出生时间", "出生年月日"],
    ),
    (
        Field::IdNumber,
        &[
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "公民身份证号码",
        ],
    ),
    (
        Field::WorkUnit,
        &["工作单位", "单位", "单位名称", "所在单位"],
    ),
    (
        Field::WorkStart,
        &[
            "参加工作时间",
            "参加工作日期",
            "参加工作年月",
            "工作时间",
            "参加工作",
        ],
    ),
    (Field::RetireDate, &["退休时间", "退休日期", "退休年月"]),
    (
        Field::WageBefore,
        &["原工资", "调整前工资", "原标准工资", "调整前"],
    ),
    (
        Field::WageAfter,
        &[
            "调整后工资",
            "新工资",
            "现工资",
            "调整后",
            "新标准工资",
            "调整后标准工资",
        ],
    ),
];

impl Field {
    pub const ALL: [Field; 25] = [
        Field::RefCode,
        Field::Fonds,
        Field::CatalogueNo,
        Field::VolumeNo,
        Field::ItemNo,
        Field::Category,
        Field::Title,
        Field::Year,
        Field::Creator,
        Field::DocNumber,
        Field::Date,
        Field::Page,
        Field::PageCount,
        Field::Retention,
        Field::Access,
        Field::FullText,
        Field::Name,
        Field::Gender,
        Field::BirthDate,
        Field::IdNumber,
        Field::WorkUnit,
        Field::WorkStart,
        Field::RetireDate,
        Field::WageBefore,
        Field::WageAfter,
    ];

    /// The Chinese label shown to the clerk (the first synonym).
    pub fn label(self) -> &'static str {
        SYNONYMS
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, names)| names[0])
            .unwrap_or("?")
    }

    /// Whether the field belongs to the document (件/卷) rather than to a person row.
    pub fn is_document_field(self) -> bool {
        matches!(
            self,
            Field::RefCode
                | Field::Fonds
                | Field::CatalogueNo
                | Field::VolumeNo
                | Field::ItemNo
                | Field::Category
                | Field::Title
                | Field::Year
                | Field::Creator
                | Field::DocNumber
                | Field::Date
                | Field::PageCount
                | Field::Retention
                | Field::Access
                | Field::FullText
        )
    }
}
