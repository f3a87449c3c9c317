//! Plain-text rendering of api.rs answers for the terminal.

use archivedesk::api::{DocumentView, FileOutcome, ImportReport, Stats};

pub fn print_import(report: &ImportReport) {
    if report.dry_run {
        println!("【试导入：以下为将会发生的情况，档案库未作任何改动】");
    }
    for f in &report.files {
        let status = match f.outcome {
            FileOutcome::Imported if report.dry_run => "可导入",
            FileOutcome::Imported => "已导入",
            FileOutcome::Unchanged => "未改动",
            FileOutcome::Refused => "已拒绝",
        };
        println!("[{status}] {}", f.path);
        if let Some(m) = &f.message {
            println!("  {m}");
        }
        if f.outcome != FileOutcome::Imported {
            continue;
        }
        if !f.format.is_empty() {
            println!("  格式：{}", f.format);
        }
        if let Some(c) = f.category.as_ref().filter(|c| c.source == "document_title") {
            println!("  类别：未指定，按各案卷题名逐件推断（{}）", c.value);
        } else if let Some(c) = &f.category {
            let from = match c.source.as_str() {
                "option" => "命令行指定",
                "column" => "类别列",
                "title" => "据标题行推断",
                "sheet" => "据工作表名推断",
                _ => "据文件名推断",
            };
            println!("  类别：{}（{from}）", c.value);
        }
        if let Some(b) = f.replaces_batch {
            let verb = if report.dry_run {
                "将被替换"
            } else {
                "已替换"
            };
            println!(
                "  同名文件的旧批次 {b} {verb}；新文件中已没有的 {} 条条目标记为已被取代（不删除）",
                f.entries_superseded
            );
        }
        for s in &f.sheets {
            let name = if s.name.is_empty() { "表" } else { &s.name };
            if let Some(why) = &s.skipped {
                println!("  工作表「{name}」：跳过——{why}");
                continue;
            }
            let rows: Vec<String> = s.header_rows.iter().map(|r| r.to_string()).collect();
            println!(
                "  工作表「{name}」：表头在第 {} 行，数据 {} 行",
                rows.join("、"),
                s.rows
            );
            if let Some(t) = &s.title {
                println!("    标题：{t}");
            }
            for c in &s.columns {
                let meaning = match (&c.field, c.via.as_str()) {
                    (Some(field), "mapping") => format!("{}（对照表）", field.label()),
                    (Some(field), _) => field.label().to_string(),
                    (None, "ignored") => "忽略".to_string(),
                    (None, _) => "其他（原样保留，可检索）".to_string(),
                };
                println!("    {:>3} {} → {meaning}", c.column, c.header);
            }
        }
        println!(
            "  读取 {} 行：接受 {}，拒绝 {}，跳过 {}（标题、表尾、合计等），其中重复 {}、仅案卷信息 {}",
            f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_skipped, f.duplicate_rows, f.document_rows
        );
        println!(
            "  案卷 新增 {} 更新 {}；条目 新增 {} 更新 {} 未变 {}；页面 {}",
            f.documents_new,
            f.documents_updated,
            f.entries_new,
            f.entries_updated,
            f.entries_unchanged,
            f.pages_attached
        );
        for r in &f.rejected {
            let sheet = if r.sheet.is_empty() {
                String::new()
            } else {
                format!("「{}」", r.sheet)
            };
            let column = r
                .column
                .as_deref()
                .map(|c| format!("［{c}］"))
                .unwrap_or_default();
            println!(
                "  拒绝 {}{sheet}第{}行{column}：{}",
                r.file, r.row, r.reason
            );
        }
        for w in &f.warnings {
            let at = w.row.map(|r| format!("第{r}行")).unwrap_or_default();
            let column = w
                .column
                .as_deref()
                .map(|c| format!("［{c}］"))
                .unwrap_or_default();
            println!("  提示 {at}{column}：{}", w.message);
        }
    }
}

pub fn print_stats(s: &Stats) {
    if s.demo {
        println!("【演示数据】");
    }
    println!("{}", s.archive_name);
    println!("案卷 {}，条目 {}，页面 {}", s.documents, s.entries, s.pages);
    println!(
        "导入批次 {}，被拒绝的行 {}，已被取代的条目 {}",
        s.import_batches, s.rejected_rows, s.superseded_entries
    );
    if let Some(at) = &s.last_import {
        println!("最近导入：{at}");
    }
    if !s.by_category.is_empty() {
        println!("按类别：");
        for c in &s.by_category {
            println!("  {}  {}", c.key, c.count);
        }
    }
    if !s.by_year.is_empty() {
        let years: Vec<String> = s
            .by_year
            .iter()
            .map(|c| format!("{} {}", c.key, c.count))
            .collect();
        println!("按年度：{}", years.join("，"));
    }
}

pub fn print_document(d: &DocumentView) {
    println!(
        "档号：{}{}",
        d.ref_code,
        if d.superseded {
            "（已被取代）"
        } else {
            ""
        }
    );
    let line = |label: &str, value: &Option<String>| {
        if let Some(v) = value {
            println!("{label}：{v}");
        }
    };
    line("题名", &d.title);
    line("类别", &d.category);
    line("文号", &d.doc_number);
    line("日期", &d.date);
    line("责任者", &d.creator);
    line("保管期限", &d.retention);
    let access = match d.access.as_str() {
        "open" => "开放",
        "controlled" => "控制使用",
        _ => "不开放",
    };
    println!("开放状态：{access}");
    println!(
        "条目 {} 条，页面 {} 页{}",
        d.entries.len(),
        d.pages.len(),
        if d.has_full_text { "，有全文" } else { "" }
    );
    for e in &d.entries {
        let mut parts = vec![format!("#{} {}", e.id, e.name)];
        parts.extend(e.gender.clone());
        parts.extend(e.birth.clone().map(|b| format!("生于{b}")));
        parts.extend(e.id_number_masked.clone());
        parts.extend(e.work_unit.clone());
        if e.wage_before.is_some() || e.wage_after.is_some() {
            parts.push(format!(
                "工资 {} → {}",
                e.wage_before.as_deref().unwrap_or("—"),
                e.wage_after.as_deref().unwrap_or("—")
            ));
        }
        parts.extend(e.retire_date.clone().map(|r| format!("退休{r}")));
        if e.superseded {
            parts.push("（已被取代）".into());
        }
        println!("  {}", parts.join("  "));
        for (h, v) in &e.extra {
            println!("      {h}：{v}");
        }
        for n in &e.notes {
            println!("      提示：{n}");
        }
    }
    for p in &d.pages {
        println!(
            "  第{}页 {}{}",
            p.page_no,
            p.path,
            if p.reachable {
                ""
            } else {
                "（无法访问）"
            }
        );
    }
}

/// Hits as the clerk reads them: rank, tier reason, who, where, and the snippet with 【】
/// around highlights.
pub fn print_search(r: &archivedesk::api::SearchResponse, offset: usize) {
    for u in &r.understood {
        println!("（{u}）");
    }
    println!("共 {} 条，用时 {:.1} 毫秒", r.total, r.took_ms);
    for (i, h) in r.hits.iter().enumerate() {
        let who = match &h.name {
            Some(name) => {
                let mut parts = vec![name.clone()];
                parts.extend(h.gender.clone());
                parts.extend(h.birth.clone().map(|b| format!("生于{b}")));
                parts.extend(h.unit.clone());
                parts.extend(h.id_masked.clone());
                parts.join("  ")
            }
            None => "（案卷）".to_string(),
        };
        println!(
            "{:>3}. [{}] {}  {}  {}",
            offset + i + 1,
            h.reason,
            h.ref_code,
            h.title.as_deref().unwrap_or(""),
            h.year.map(|y| y.to_string()).unwrap_or_default()
        );
        println!("     {who}");
        for s in &h.snippet {
            println!("     {}", marked(&s.text, &s.highlights));
        }
    }
    if !r.facets.category.is_empty() {
        let cats: Vec<String> = r
            .facets
            .category
            .iter()
            .map(|c| format!("{} {}", c.value, c.count))
            .collect();
        println!("类别：{}", cats.join("，"));
    }
}

fn marked(text: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if highlights.iter().any(|h| h[0] == i) {
            out.push('【');
        }
        out.push(c);
        if highlights.iter().any(|h| h[1] == i + 1) {
            out.push('】');
        }
    }
    out
}

/// The timeline: one line per record, the join's confidence beside it.
pub fn print_person(t: &archivedesk::api::PersonTimeline) {
    let mut head = vec![t.name.clone()];
    head.extend(t.gender.clone());
    head.extend(t.birth.clone().map(|b| format!("生于{b}")));
    head.extend(t.id_masked.clone());
    println!("{}", head.join("  "));
    let confidence = |c: &str| match c {
        "high" => "身份证号相同",
        "medium" => "姓名与出生年月相同",
        "low" => "仅姓名相同，待核实",
        "confirmed" => "已人工确认",
        _ => "",
    };
    for e in &t.events {
        let wage = match (&e.wage_before, &e.wage_after) {
            (Some(b), Some(a)) => format!("  工资 {b} → {a}"),
            (None, Some(a)) => format!("  工资 {a}"),
            _ => String::new(),
        };
        println!(
            "{:<10} {:<8} {}  {}  {}{}  [{}] #{}",
            e.date.as_deref().unwrap_or("（无日期）"),
            e.category.as_deref().unwrap_or(""),
            e.ref_code,
            e.name,
            e.unit.as_deref().unwrap_or(""),
            wage,
            confidence(&e.confidence),
            e.entry_id
        );
    }
    if let Some(s) = &t.service {
        println!(
            "连续工龄（{}）：{} 年 {} 个月，{}",
            s.label, s.years, s.months, s.basis
        );
    }
    if !t.possible_matches.is_empty() {
        println!("可能是同一人（仅姓名相同，未合并）：");
        for e in &t.possible_matches {
            println!(
                "  {}  {}  {}  {}  #{}",
                e.date.as_deref().unwrap_or("（无日期）"),
                e.ref_code,
                e.name,
                e.unit.as_deref().unwrap_or(""),
                e.entry_id
            );
        }
    }
}
