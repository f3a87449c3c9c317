//! `archivedesk peers`: the other archives (跨馆) this one talks to, and asking them who holds
//! records for a person. The command line acts as the local operator, as everywhere.

use super::{invalid, print_json};
use archivedesk::api::{PeerAddRequest, PeerAskRequest, PeerAskView};
use archivedesk::session::Session;
use archivedesk::{Archive, Error};
use clap::Subcommand;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Subcommand)]
pub enum PeersCommand {
    /// Add another archive: its name, peer door address and key hash (read out by its
    /// supervisor, or from an official letter).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "HOST:PORT")]
        address: String,
        /// Its key hash (SHA-256, 64 hex digits; spaces allowed).
        #[arg(long)]
        pin: String,
    },
    /// Remove an archive (by name): its key is refused from now on.
    Remove { name: String },
    /// Read a province's peer list: shows each archive with its key hash; with --yes takes it in.
    Import {
        file: PathBuf,
        /// The key hashes shown were compared with the province's letter: take the list in.
        #[arg(long)]
        yes: bool,
    },
    /// Ask other archives who holds records for the person of the open 跨馆 request: the ones
    /// named (with --with-id and/or --with-name), or all of them with the keyed hash of the ID.
    Ask {
        #[arg(long)]
        request: i64,
        /// An archive to ask, by name (repeat for more); none asks every archive.
        #[arg(long = "peer", value_name = "NAME")]
        peers: Vec<String>,
        #[arg(long)]
        with_id: bool,
        #[arg(long)]
        with_name: bool,
    },
}

pub fn run(mut archive: Archive, action: Option<PeersCommand>, json: bool) -> Result<i32, Error> {
    match action {
        None => {
            let peers = archive.peers()?;
            if json {
                print_json(&peers);
                return Ok(0);
            }
            let own = archive.host_key()?.pin();
            println!("本馆密钥 SHA-256 {}", own.shown());
            if peers.is_empty() {
                println!("还没有添加其他档案馆");
            }
            for peer in &peers {
                println!(
                    "{}\t{}\t密钥 {}\t添加于 {}（{}）",
                    peer.name, peer.address, peer.pin, peer.added_at, peer.added_by
                );
            }
            Ok(0)
        }
        Some(PeersCommand::Add { name, address, pin }) => {
            let peer = archive.add_peer(&PeerAddRequest { name, address, pin })?;
            if json {
                print_json(&peer);
            } else {
                println!("已添加 {}（{}）", peer.name, peer.address);
            }
            Ok(0)
        }
        Some(PeersCommand::Remove { name }) => {
            let peer = archive
                .peers()?
                .into_iter()
                .find(|p| p.name == name.trim())
                .ok_or_else(|| invalid(format!("没有名为「{name}」的档案馆")))?;
            archive.remove_peer(peer.id)?;
            println!("已删除 {}：从现在起拒绝它的密钥", peer.name);
            Ok(0)
        }
        Some(PeersCommand::Import { file, yes }) => {
            let list = archivedesk::peers::peer_list::read(&file)?;
            let preview = if yes {
                archive.import_peer_list(&list)?
            } else {
                archive.preview_peer_list(&list)?
            };
            if json {
                print_json(&preview);
                return Ok(0);
            }
            println!(
                "{}档案馆名单，{} 个档案馆{}",
                preview.province,
                preview.peers.len(),
                if preview.has_hash_key {
                    "，含共享密钥"
                } else {
                    ""
                }
            );
            for listed in &preview.peers {
                let effect = match listed.effect.as_str() {
                    "added" => "新增",
                    "same" => "已有",
                    "changed_address" => "地址变更",
                    "changed_key" => "密钥不同，不导入",
                    "removed_before" => "曾被删除，不导入",
                    _ => "本馆",
                };
                println!(
                    "{effect}\t{}\t{}\t密钥 {}",
                    listed.name, listed.address, listed.pin_shown
                );
            }
            if !yes {
                println!("请逐一核对以上密钥与省馆来函一致，再加 --yes 导入");
            }
            Ok(0)
        }
        Some(PeersCommand::Ask {
            request,
            peers,
            with_id,
            with_name,
        }) => {
            let known = archive.peers()?;
            let mut chosen = Vec::new();
            for name in &peers {
                let peer = known
                    .iter()
                    .find(|p| p.name == name.trim())
                    .ok_or_else(|| invalid(format!("没有名为「{name}」的档案馆")))?;
                chosen.push(peer.id);
            }
            let caller = archive.caller().clone();
            let session = Session::new(archive, archivedesk::paths::default_demo_dir());
            let asked = PeerAskRequest {
                request_id: request,
                peers: chosen,
                with_id,
                with_name,
            };
            let mut view = session.ask_peers(&caller, &asked)?;
            while !view.done {
                std::thread::sleep(Duration::from_millis(50));
                view = session.peer_ask_status(&caller, view.ask_id)?;
            }
            if json {
                print_json(&view);
            } else {
                print_answers(&view);
            }
            Ok(0)
        }
    }
}

fn print_answers(view: &PeerAskView) {
    for answer in &view.answers {
        let state = match answer.state.as_str() {
            "found" => "有记录",
            "none" => "无记录",
            "timeout" => "超时",
            "refused" => "拒绝",
            _ => "无法连接",
        };
        println!(
            "{}\t{state}\t{}",
            answer.peer_name,
            answer.message.as_deref().unwrap_or("")
        );
        for group in answer.facts.iter().flat_map(|f| &f.groups) {
            println!(
                "\t{}\t{}\t{} 件\t{}\t{}",
                group.category.as_deref().unwrap_or("—"),
                group.year.map_or("—".to_string(), |y| y.to_string()),
                group.records,
                group.matched_by,
                group.titles.join("；")
            );
        }
        if let Some(facts) = answer.facts.as_ref().filter(|f| f.restricted > 0) {
            println!("\t另有控制使用的档案 {} 件", facts.restricted);
        }
    }
}
