//! A search index that cannot be trusted is rebuilt from the store, which it never touches:
//! missing, damaged (a garbled `meta.json`, a segment file with a flipped byte, cut short or
//! deleted — found by tantivy's checksums on open, the folder kept aside), named wrongly, of
//! another archive, newer than the store or rewound behind its change log.

mod common;

use archivedesk::Archive;
use common::wage_index::*;
use common::*;

#[test]
fn an_index_rewound_behind_the_pruned_change_log_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, second) = first_of_two_batches(dir.path(), "J040");
    // An old copy of the index, as a backup of the search folder would restore it.
    let saved = dir.path().join("saved-search");
    copy_dir(&data.join("search"), &saved);

    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&second]);
    drop(archive);
    std::fs::remove_dir_all(data.join("search")).unwrap();
    copy_dir(&saved, &data.join("search"));

    // The change log the old index would need was pruned once the new index covered it.
    let mut archive = Archive::open(&data).unwrap();
    assert_found(&mut archive, "钱多多", "钱多多");
    assert_found(&mut archive, "王大明", "王大明");
}

#[test]
fn a_missing_search_folder_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = archive_with_wage_table(dir.path());
    std::fs::remove_dir_all(data.join("search")).unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    live_folder(&data);
}

#[test]
fn a_corrupt_index_is_set_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, folder) = archive_with_wage_table(dir.path());
    let broken_name = folder.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(folder.join("meta.json"), b"{ this is not json \x00\x01").unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    let live = live_folder(&data);
    assert_ne!(live, folder, "a new folder is live");
    let names = search_folder_names(&data);
    let aside: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(&format!("{broken_name}.corrupt-")))
        .collect();
    assert_eq!(aside.len(), 1, "the broken folder is kept aside: {names:?}");
    let kept = data.join("search").join(aside[0]).join("meta.json");
    assert_eq!(
        std::fs::read(kept).unwrap(),
        b"{ this is not json \x00\x01",
        "kept as it was found"
    );
    assert!(!folder.exists(), "no longer under its old name");
    drop(archive);

    // Opening again neither rebuilds nor removes the folder set aside.
    let mut again = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut again);
    assert_eq!(live_folder(&data), live);
    assert_eq!(search_folder_names(&data), names);
}

#[test]
fn a_segment_file_with_a_flipped_byte_or_cut_short_is_found_on_open_and_rebuilt() {
    for damage in ["flip", "truncate", "delete"] {
        let dir = tempfile::tempdir().unwrap();
        let (data, folder) = archive_with_wage_table(dir.path());
        let store_before = snapshot(&data);
        let file = largest_segment_file(&folder);
        let mut bytes = std::fs::read(&file).unwrap();
        match damage {
            "flip" => {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x20;
                std::fs::write(&file, &bytes).unwrap();
            }
            "truncate" => std::fs::write(&file, &bytes[..bytes.len() * 2 / 3]).unwrap(),
            _ => std::fs::remove_file(&file).unwrap(),
        }

        let mut archive = Archive::open(&data).unwrap();
        assert_wage_table_searchable(&mut archive);
        let status = archive.status().unwrap();
        let why = status.index_rebuilt_because.unwrap_or_default();
        assert!(
            why.contains("损坏"),
            "{damage}: the status says why it was rebuilt: {why}"
        );
        assert_ne!(live_folder(&data), folder, "{damage}: a new folder is live");
        let names = search_folder_names(&data);
        assert!(
            names.iter().any(|n| n.contains(".corrupt-")),
            "{damage}: the damaged folder is kept aside: {names:?}"
        );
        drop(archive);
        assert_eq!(
            snapshot(&data),
            store_before,
            "{damage}: nothing in the store is touched"
        );
    }
}

#[test]
fn current_naming_a_missing_folder_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, folder) = archive_with_wage_table(dir.path());
    std::fs::write(
        data.join("search").join("CURRENT"),
        "index-20000101-000000-000",
    )
    .unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    let live = live_folder(&data);
    assert_ne!(
        live.file_name().unwrap(),
        "index-20000101-000000-000",
        "CURRENT names the rebuilt folder"
    );
    assert!(
        !folder.exists(),
        "the old folder, named by nothing, is removed as a leftover"
    );
}

#[test]
fn the_index_of_another_archive_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = archive_with_wage_table(dir.path());

    // Another archive, with its own records and more changes than this one.
    let other_data = dir.path().join("other");
    let other_csv = dir.path().join("别处目录.csv");
    write_utf8_csv(
        &other_csv,
        &[
            "档号,姓名,工作单位",
            "K001-WS-1980-Y-0001,外馆人,外县农机厂",
            "K001-WS-1980-Y-0002,外馆人乙,外县农机厂",
            "K001-WS-1980-Y-0003,外馆人丙,外县农机厂",
            "K001-WS-1980-Y-0004,外馆人丁,外县农机厂",
        ],
        false,
    );
    let mut other = Archive::open(&other_data).unwrap();
    import(&mut other, &[&other_csv]);
    assert_found(&mut other, "外馆人", "外馆人");
    drop(other);

    std::fs::remove_dir_all(data.join("search")).unwrap();
    copy_dir(&other_data.join("search"), &data.join("search"));
    let foreign = live_folder(&data);

    let mut archive = Archive::open(&data).unwrap();
    assert_not_found(&mut archive, "外馆人");
    assert_not_found(&mut archive, "外县农机厂");
    assert_wage_table_searchable(&mut archive);
    assert_ne!(live_folder(&data), foreign);
    let names = search_folder_names(&data);
    assert!(
        names.iter().any(|n| n.contains(".corrupt-")),
        "the foreign index is kept aside, not deleted: {names:?}"
    );
}

#[test]
fn an_index_newer_than_the_store_is_rebuilt() {
    // The database restored from a backup: the index describes records it no longer has.
    let dir = tempfile::tempdir().unwrap();
    let (data, second) = first_of_two_batches(dir.path(), "J050");
    let backup = dir.path().join("backup.sqlite3");
    open_db(&data)
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();

    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&second]);
    assert_found(&mut archive, "钱多多", "钱多多");
    drop(archive);

    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("archive.sqlite3{suffix}")));
    }
    std::fs::copy(&backup, data.join("archive.sqlite3")).unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_not_found(&mut archive, "钱多多");
    assert_found(&mut archive, "王大明", "王大明");
}

#[test]
fn a_door_rebuilds_a_damaged_index_in_the_background_while_the_counter_goes_on() {
    use archivedesk::error::ErrorCode;
    use archivedesk::search::background_rebuild::RebuildGate;
    use archivedesk::session::Session;

    let dir = tempfile::tempdir().unwrap();
    let (data, folder) = archive_with_wage_table(dir.path());
    let store_before = snapshot(&data);
    let file = largest_segment_file(&folder);
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&file, &bytes).unwrap();

    let mut archive = Archive::open(&data).unwrap();
    let gate = RebuildGate::closed();
    archive.hold_index_rebuilds(gate.clone());
    let session = Session::new(archive, dir.path().join("demo"));

    // Search says the index is being rebuilt, and why; so does the status.
    let said = session
        .with_archive(|a| a.search(&request("诸葛青云")))
        .unwrap_err();
    assert_eq!(said.code, ErrorCode::IndexRebuilding, "{}", said.message);
    assert!(
        said.message.contains("损坏") && said.message.contains("正在从数据库重建"),
        "{}",
        said.message
    );
    let status = session.with_archive(|a| a.status()).unwrap();
    let rebuilding = status
        .index_rebuilding
        .expect("the status shows the rebuild");
    assert!(
        rebuilding.because.contains("损坏"),
        "{}",
        rebuilding.because
    );

    // The counter goes on: a lookup is registered and a document shown meanwhile.
    let registered = session.with_archive(|a| a.register_request(&common::counter::liu_request()));
    assert!(registered.is_ok(), "{registered:?}");
    let shown = session
        .with_archive(|a| a.show("J012-WS·1998-Y-0034"))
        .unwrap();
    assert_eq!(shown.entries.len(), 2);
    // An import waits for the rebuild instead of starting one of its own.
    let import = session.start_import(
        archivedesk::api::ImportRequest {
            paths: vec![dir.path().join("none.csv")],
            ..Default::default()
        },
        Vec::new(),
        archivedesk::api::Caller::local_operator(),
    );
    assert_eq!(
        import.map(|_| ()).unwrap_err().code,
        ErrorCode::IndexRebuilding
    );

    gate.open();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let found = loop {
        match session.with_archive(|a| a.search(&request("诸葛青云"))) {
            Ok(found) => break found,
            Err(e)
                if e.code == ErrorCode::IndexRebuilding && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Err(e) => panic!("the rebuild ends: {e}"),
        }
    };
    assert_eq!(names(&found), ["诸葛青云"]);
    session
        .with_archive(|a| {
            assert_wage_table_searchable(a);
            Ok(())
        })
        .unwrap();
    let status = session.with_archive(|a| a.status()).unwrap();
    assert!(status.index_rebuilding.is_none());
    assert!(status
        .index_rebuilt_because
        .is_some_and(|why| why.contains("损坏")));
    assert_ne!(live_folder(&data), folder, "a new folder is live");
    session.close();
    assert_eq!(
        snapshot(&data),
        store_before,
        "nothing in the store is touched"
    );
}

#[test]
fn a_background_rebuild_overtaken_by_another_program_gives_way_to_its_index() {
    use archivedesk::error::ErrorCode;
    use archivedesk::search::background_rebuild::RebuildGate;
    use archivedesk::session::Session;

    let dir = tempfile::tempdir().unwrap();
    let (data, second) = first_of_two_batches(dir.path(), "J041");
    std::fs::remove_dir_all(data.join("search")).unwrap();
    let mut archive = Archive::open(&data).unwrap();
    let gate = RebuildGate::closed();
    archive.hold_index_rebuilds(gate.clone());
    let session = Session::new(archive, dir.path().join("demo"));

    // Meanwhile another program (the command line) rebuilds the index itself and imports.
    let mut other = Archive::open(&data).unwrap();
    import(&mut other, &[&second]);
    drop(other);
    let theirs = live_folder(&data);

    gate.open();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let found = loop {
        match session.with_archive(|a| a.search(&request("钱多多"))) {
            Ok(found) => break found,
            Err(e)
                if e.code == ErrorCode::IndexRebuilding && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Err(e) => panic!("the rebuild ends: {e}"),
        }
    };
    // The stale build (of the store before that import) was thrown away, not switched to.
    assert_eq!(names(&found), ["钱多多"]);
    assert_eq!(live_folder(&data), theirs);
    session
        .with_archive(|a| {
            assert_found(a, "王大明", "王大明");
            Ok(())
        })
        .unwrap();
    session.close();
    let left: Vec<String> = search_folder_names(&data)
        .into_iter()
        .filter(|n| n.starts_with("index-"))
        .collect();
    assert_eq!(
        left.len(),
        1,
        "no half-built or stale folder left: {left:?}"
    );
}
