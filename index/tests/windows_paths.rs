//! File names and contents in Chinese survive a round trip through the file
//! system. Runs natively and, built for x86_64-pc-windows-gnu, under Wine
//! (see .ci/test), where paths pass through UTF-16.

use std::fs;
use std::path::Path;

const CONTENT: &str = "姓名,月份,应发工资\n张三,2023-01,5200.00\n李四,2023-01,4800.50\n";

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list folder")
        .map(|entry| {
            entry
                .expect("folder entry")
                .file_name()
                .into_string()
                .expect("file name is valid Unicode")
        })
        .collect();
    names.sort();
    names
}

#[test]
fn chinese_folder_and_file_names_round_trip() {
    let temp = tempfile::Builder::new()
        .prefix("档案测试-")
        .tempdir()
        .expect("temp folder");
    let dir = temp.path().join("档案 数据").join("测试导入");
    fs::create_dir_all(&dir).expect("create folder with Chinese name");
    assert!(dir.is_dir());

    let original = dir.join("工资表.csv");
    fs::write(&original, CONTENT).expect("write file with Chinese name");
    assert_eq!(fs::read_to_string(&original).expect("read back"), CONTENT);
    assert_eq!(names_in(&dir), ["工资表.csv"]);

    let renamed = dir.join("工资表（已导入）.csv");
    fs::rename(&original, &renamed).expect("rename");
    assert!(!original.exists());
    assert_eq!(fs::read_to_string(&renamed).expect("read renamed"), CONTENT);
    assert_eq!(names_in(&dir), ["工资表（已导入）.csv"]);
    assert_eq!(names_in(&temp.path().join("档案 数据")), ["测试导入"]);

    // The names survive when the folder is found again by listing.
    let found = fs::read_dir(temp.path().join("档案 数据"))
        .expect("list parent")
        .next()
        .expect("one entry")
        .expect("entry")
        .path();
    let file = found.join("工资表（已导入）.csv");
    assert_eq!(
        fs::read(&file).expect("read via listed path"),
        CONTENT.as_bytes()
    );
}
