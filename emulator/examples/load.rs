//! A bounded load test of the emulator on loopback: mixed authenticated GETs and writes for a fixed time,
//! then throughput, latency percentiles, error counts, and a check that the final token list is exactly
//! what the acknowledged writes imply.
//!
//! ```sh
//! cargo build --profile native -p tokengate-emulator --bins --examples && target/native/examples/load --seconds 30
//! ```
//!
//! By default it starts `tokengate-emulator` (the binary next to this example's target directory) with the
//! demo seed on a free loopback port and stops it afterwards; `--addr 127.0.0.1:PORT` uses a running one
//! (seeded with `--seed demo`). Only loopback addresses are accepted.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const OWNER: &str = "api-0d3e0000-0000-4000-8000-00000000c001";
const SECRETS: [&str; 5] = [
    OWNER,
    "api-0d3e0000-0000-4000-8000-00000000c003",
    "api-0d3e0000-0000-4000-8000-00000000c006",
    "api-0d3e0000-0000-4000-8000-00000000c008",
    "api-0d3e0000-0000-4000-8000-00000000c009",
];

struct Options {
    seconds: u64,
    concurrency: usize,
    write_per_mille: u32,
    addr: Option<SocketAddr>,
    binary: Option<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: load [--seconds N (30)] [--concurrency N (64)] [--writes-per-mille N (20)] [--addr 127.0.0.1:PORT] [--binary PATH]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut o = Options {
        seconds: 30,
        concurrency: 64,
        write_per_mille: 20,
        addr: None,
        binary: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--seconds" => o.seconds = value().parse().unwrap_or_else(|_| usage()),
            "--concurrency" => o.concurrency = value().parse().unwrap_or_else(|_| usage()),
            "--writes-per-mille" => o.write_per_mille = value().parse().unwrap_or_else(|_| usage()),
            "--addr" => o.addr = Some(value().parse().unwrap_or_else(|_| usage())),
            "--binary" => o.binary = Some(value()),
            _ => usage(),
        }
    }
    if o.seconds == 0 || o.seconds > 3600 || o.concurrency == 0 || o.write_per_mille > 1000 {
        usage();
    }
    if let Some(addr) = o.addr {
        if !addr.ip().is_loopback() {
            eprintln!("refusing {addr}: the load test only targets loopback addresses");
            std::process::exit(2);
        }
    }
    o
}

/// The emulator this run started, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(binary: Option<String>) -> (Server, String) {
    let binary = binary.unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("current exe");
        // target/<profile>/examples/load -> target/<profile>/tokengate-emulator
        let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
        dir.join("tokengate-emulator").display().to_string()
    });
    let child = Command::new(&binary)
        .args(["--listen", "127.0.0.1:0", "--seed", "demo"])
        .args(["--rate-limit-global", "1000000000", "--rate-limit-route", "1000000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e} (build it with `cargo build --profile native -p tokengate-emulator`)"));
    // Owned by `Server` from here on, so every path (a panic included) stops it.
    let mut server = Server(child);
    let stdout = server.0.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("the emulator exited before listening");
        }
        if let Some(addr) = line.trim().strip_prefix("listening on ") {
            let base = addr.to_owned();
            std::thread::spawn(move || {
                let mut sink = String::new();
                while reader.read_line(&mut sink).unwrap_or(0) > 0 {
                    sink.clear();
                }
            });
            return (server, base);
        }
    }
}

/// What one worker saw.
#[derive(Default)]
struct Tally {
    gets: u64,
    writes: u64,
    get_micros: Vec<u32>,
    write_micros: Vec<u32>,
    errors: BTreeMap<String, u64>,
    /// Tokens this worker created and did not delete, with the name they should have now.
    live: HashMap<String, String>,
}

/// A small xorshift generator: the mix only needs to be varied, not secure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn worker(
    id: usize,
    client: Client,
    base: Arc<String>,
    stop: Arc<AtomicBool>,
    write_per_mille: u32,
) -> Tally {
    let mut tally = Tally::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (id as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut serial = 0u64;
    let token_ids: Vec<String> = [1u32, 3, 6, 8, 9, 10, 11]
        .iter()
        .map(|n| format!("5f1c{n:020x}"))
        .collect();
    while !stop.load(Ordering::Relaxed) {
        let write = rng.below(1000) < u64::from(write_per_mille);
        let started = Instant::now();
        if write {
            let outcome =
                one_write(&client, &base, id, &mut serial, &mut rng, &mut tally.live).await;
            let micros = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
            tally.writes += 1;
            tally.write_micros.push(micros);
            if let Err(e) = outcome {
                *tally.errors.entry(e).or_default() += 1;
            }
        } else {
            let secret = SECRETS[rng.below(SECRETS.len() as u64) as usize];
            let url = match rng.below(10) {
                0..=5 => format!(
                    "{base}/api/v2/tokens/{}",
                    token_ids[rng.below(token_ids.len() as u64) as usize]
                ),
                6..=7 => format!("{base}/api/v2/tokens?limit=5"),
                _ => format!("{base}/api/v2/caller-identity"),
            };
            let result = client
                .get(&url)
                .header("Authorization", secret)
                .send()
                .await;
            let ok = match result {
                Ok(r) => {
                    let status = r.status();
                    let _ = r.bytes().await;
                    // 404 is a legitimate answer for tokens the caller cannot see.
                    if status == StatusCode::OK || status == StatusCode::NOT_FOUND {
                        Ok(())
                    } else {
                        Err(format!("GET {status}"))
                    }
                }
                Err(e) => Err(format!("GET transport: {}", e.without_url())),
            };
            let micros = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
            tally.gets += 1;
            tally.get_micros.push(micros);
            if let Err(e) = ok {
                *tally.errors.entry(e).or_default() += 1;
            }
        }
    }
    tally
}

/// Creates, renames or deletes one of this worker's tokens; records what the server acknowledged.
async fn one_write(
    client: &Client,
    base: &str,
    worker: usize,
    serial: &mut u64,
    rng: &mut Rng,
    live: &mut HashMap<String, String>,
) -> Result<(), String> {
    let pick = live
        .keys()
        .nth(rng.below(live.len().max(1) as u64) as usize)
        .cloned();
    let choice = if live.len() < 3 { 0 } else { rng.below(3) };
    match (choice, pick) {
        (1, Some(id)) => {
            *serial += 1;
            let name = format!("load-{worker}-{serial}");
            let r = client
                .patch(format!("{base}/api/v2/tokens/{id}"))
                .header("Authorization", OWNER)
                .json(&json!([{"op": "replace", "path": "/name", "value": name}]))
                .send()
                .await
                .map_err(|e| format!("PATCH transport: {}", e.without_url()))?;
            if r.status() != StatusCode::OK {
                return Err(format!("PATCH {}", r.status()));
            }
            live.insert(id, name);
        }
        (2, Some(id)) => {
            let r = client
                .delete(format!("{base}/api/v2/tokens/{id}"))
                .header("Authorization", OWNER)
                .send()
                .await
                .map_err(|e| format!("DELETE transport: {}", e.without_url()))?;
            if r.status() != StatusCode::NO_CONTENT {
                return Err(format!("DELETE {}", r.status()));
            }
            live.remove(&id);
        }
        _ => {
            *serial += 1;
            let name = format!("load-{worker}-{serial}");
            let r = client
                .post(format!("{base}/api/v2/tokens"))
                .header("Authorization", OWNER)
                .json(&json!({"name": name, "role": "reader"}))
                .send()
                .await
                .map_err(|e| format!("POST transport: {}", e.without_url()))?;
            if r.status() != StatusCode::CREATED {
                return Err(format!("POST {}", r.status()));
            }
            let body: Value = r.json().await.map_err(|e| format!("POST body: {e}"))?;
            let id = body["_id"].as_str().ok_or("POST without _id")?.to_owned();
            live.insert(id, name);
        }
    }
    Ok(())
}

/// CPU seconds (user + system) a process has used so far, from `/proc/<pid>/stat` (Linux; USER_HZ = 100).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

/// Every `load-` token the owner can list, id to name.
async fn final_state(client: &Client, base: &str) -> Result<HashMap<String, String>, String> {
    let mut found = HashMap::new();
    let mut offset = 0;
    loop {
        let page: Value = client
            .get(format!("{base}/api/v2/tokens?limit=1000&offset={offset}"))
            .header("Authorization", OWNER)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let items = page["items"].as_array().ok_or("no items")?;
        for t in items {
            let name = t["name"].as_str().unwrap_or_default();
            if name.starts_with("load-") {
                found.insert(
                    t["_id"].as_str().unwrap_or_default().to_owned(),
                    name.to_owned(),
                );
            }
        }
        offset += items.len();
        if items.is_empty() || offset as u64 >= page["totalCount"].as_u64().unwrap_or(0) {
            return Ok(found);
        }
    }
}

#[tokio::main]
async fn main() {
    let o = options();
    let (server, base) = match o.addr {
        Some(addr) => (None, format!("http://{addr}")),
        None => {
            let (s, b) = start_server(o.binary.clone());
            (Some(s), b)
        }
    };
    let client = Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let base = Arc::new(base);
    let stop = Arc::new(AtomicBool::new(false));
    println!(
        "load: {} s, {} connections, {}‰ writes, against {base}",
        o.seconds, o.concurrency, o.write_per_mille
    );
    let server_pid = server.as_ref().map(|s| s.0.id().to_string());
    let server_cpu_start = server_pid.as_deref().and_then(cpu_seconds);
    let client_cpu_start = cpu_seconds("self");
    let started = Instant::now();
    let workers: Vec<_> = (0..o.concurrency)
        .map(|i| {
            tokio::spawn(worker(
                i,
                client.clone(),
                base.clone(),
                stop.clone(),
                o.write_per_mille,
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(o.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Tally::default();
    for w in workers {
        let t = w.await.expect("worker");
        all.gets += t.gets;
        all.writes += t.writes;
        all.get_micros.extend(t.get_micros);
        all.write_micros.extend(t.write_micros);
        for (k, v) in t.errors {
            *all.errors.entry(k).or_default() += v;
        }
        all.live.extend(t.live);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = server_pid
        .as_deref()
        .and_then(cpu_seconds)
        .zip(server_cpu_start)
        .map(|(end, start)| end - start);
    let client_cpu = cpu_seconds("self")
        .zip(client_cpu_start)
        .map(|(end, start)| end - start);
    all.get_micros.sort_unstable();
    all.write_micros.sort_unstable();
    println!(
        "GET   {:>9} requests  {:>9.0}/s  p50 {:.2} ms  p99 {:.2} ms",
        all.gets,
        all.gets as f64 / elapsed,
        percentile(&all.get_micros, 50.0),
        percentile(&all.get_micros, 99.0)
    );
    println!(
        "write {:>9} requests  {:>9.0}/s  p50 {:.2} ms  p99 {:.2} ms",
        all.writes,
        all.writes as f64 / elapsed,
        percentile(&all.write_micros, 50.0),
        percentile(&all.write_micros, 99.0)
    );
    let total = (all.gets + all.writes).max(1) as f64;
    if let Some(cpu) = server_cpu {
        println!(
            "server CPU {:.1} s = {:.1} µs per request: one core would serve {:.0} requests/s, two {:.0}/s",
            cpu,
            cpu / total * 1e6,
            total / cpu.max(1e-9),
            2.0 * total / cpu.max(1e-9)
        );
    }
    if let Some(cpu) = client_cpu {
        println!(
            "client CPU {:.1} s = {:.1} µs per request",
            cpu,
            cpu / total * 1e6
        );
    }
    let error_count: u64 = all.errors.values().sum();
    println!("errors {error_count}");
    for (kind, n) in &all.errors {
        println!("  {kind}: {n}");
    }
    let verdict = match final_state(&client, &base).await {
        Ok(found) if found == all.live => {
            println!(
                "final list: {} load tokens, exactly what the acknowledged writes imply",
                found.len()
            );
            true
        }
        Ok(found) => {
            let missing = all.live.keys().filter(|k| !found.contains_key(*k)).count();
            let extra = found.keys().filter(|k| !all.live.contains_key(*k)).count();
            let renamed = all
                .live
                .iter()
                .filter(|(k, v)| found.get(*k).is_some_and(|n| n != *v))
                .count();
            println!("final list MISMATCH: {missing} missing, {extra} unexpected, {renamed} with the wrong name");
            false
        }
        Err(e) => {
            println!("final list could not be read: {e}");
            false
        }
    };
    drop(server);
    if !verdict || error_count > 0 {
        std::process::exit(1);
    }
}
