//! The subscription benchmark's client (run by `bench/subscriptions`): opens
//! N WebSocket connections to one instance speaking graphql-transport-ws,
//! each subscribed to `trainingSeatsChanged` of one session, measures the
//! server's memory per idle connection, then changes the session M times
//! (its capacity, through `updateTrainingSession`) and measures how long
//! each change takes to reach every subscriber.
//!
//! `cargo run --release --example ws_bench -- URL TOKEN SESSION CONNECTIONS EVENTS SERVER_PID`

use std::{
    cell::RefCell,
    rc::Rc,
    time::{Duration, Instant},
};

use awc::ws::{Frame, Message};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

const SEATS: &str = "subscription($s: ID!) { trainingSeatsChanged(session: $s) { seatsLeft capacity } }";
/// How a `next` message names its type (the seats carry no such text).
const NEXT: &[u8] = b"\"type\":\"next\"";
const UPDATE: &str = "mutation($input: UpdateTrainingSessionInput!) { updateTrainingSession(input: $input) {
    session { version capacity } userErrors { code message } } }";

/// Stops the benchmark with a message.
fn fail(what: &str) -> ! {
    eprintln!("ws_bench: {what}");
    std::process::exit(1)
}

fn rss_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
}

/// CPU time (user + system) a process has used, in seconds (`/proc/PID/stat`, in clock ticks of 1/100 s).
fn cpu_secs(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Opens one subscribed connection; every `next` of the subscription pushes its arrival time.
async fn open(ws_url: String, session: String, arrivals: Rc<RefCell<Vec<Instant>>>) -> Result<(), String> {
    let client = awc::Client::builder().timeout(Duration::from_secs(60)).finish();
    let (_, mut framed) = client.ws(ws_url).protocols(["graphql-transport-ws"]).connect().await.map_err(|e| e.to_string())?;
    let send = |v: Value| Message::Text(v.to_string().into());
    framed.send(send(json!({ "type": "connection_init", "payload": {} }))).await.map_err(|e| e.to_string())?;
    framed
        .send(send(json!({ "id": "s", "type": "subscribe", "payload": { "query": SEATS, "variables": { "s": session } } })))
        .await
        .map_err(|e| e.to_string())?;
    framed
        .send(send(json!({ "id": "q", "type": "subscribe", "payload": { "query": "{ __typename }" } })))
        .await
        .map_err(|e| e.to_string())?;
    // Subscribed once the query behind it completes.
    loop {
        match framed.next().await {
            Some(Ok(Frame::Text(bytes))) => {
                let message: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                if message["id"] == "q" && message["type"] == "complete" {
                    break;
                }
                if message["type"] == "error" || (message["id"] == "s" && message["type"] == "complete") {
                    return Err(format!("subscription refused: {message}"));
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("closed before subscribing".to_owned()),
        }
    }
    actix_rt::spawn(async move {
        while let Some(frame) = framed.next().await {
            match frame {
                Ok(Frame::Text(bytes)) => {
                    // The client's own time is part of every latency it
                    // measures: recognise `next` without parsing the JSON.
                    let at = Instant::now();
                    if bytes.windows(NEXT.len()).any(|w| w == NEXT) {
                        arrivals.borrow_mut().push(at);
                    }
                }
                Ok(Frame::Ping(p)) => {
                    let _ = framed.send(Message::Pong(p)).await;
                }
                Ok(Frame::Close(_)) | Err(_) => break,
                Ok(_) => {}
            }
        }
    });
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the report is this tool's output")]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, token, session, connections, events, pid] = args.as_slice() else {
        eprintln!("usage: ws_bench URL TOKEN SESSION CONNECTIONS EVENTS SERVER_PID");
        std::process::exit(2);
    };
    let connections: usize = connections.parse().unwrap_or_else(|_| fail("CONNECTIONS is a number"));
    let events: usize = events.parse().unwrap_or_else(|_| fail("EVENTS is a number"));
    let ws_url = format!("{}/graphql/ws", url.replacen("http", "ws", 1));
    actix_rt::System::new().block_on(async move {
        let arrivals: Rc<RefCell<Vec<Instant>>> = Rc::default();
        let before = rss_kib(pid);
        let opened = Instant::now();
        let mut failures = 0;
        for batch in (0..connections).collect::<Vec<_>>().chunks(250) {
            let results = futures_util::future::join_all(batch.iter().map(|_| open(ws_url.clone(), session.clone(), Rc::clone(&arrivals)))).await;
            for r in results {
                if let Err(e) = r {
                    failures += 1;
                    if failures <= 3 {
                        eprintln!("a connection failed: {e}");
                    }
                }
            }
        }
        let subscribed = connections - failures;
        eprintln!("{subscribed} subscribed in {:.1} s ({failures} failed)", opened.elapsed().as_secs_f64());
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = rss_kib(pid);
        let per_connection = if subscribed > 0 { after.saturating_sub(before) as f64 / subscribed as f64 } else { f64::NAN };

        let http = awc::Client::builder().timeout(Duration::from_secs(30)).finish();
        let graphql = format!("{url}/graphql");
        let read = json!({ "query": "query($id: ID!) { node(id: $id) { ... on TrainingSession { version capacity } } }", "variables": { "id": session } });
        let mut current: Value = match http.post(&graphql).bearer_auth(token).send_json(&read).await {
            Ok(mut response) => response.json().await.unwrap_or_else(|e| fail(&format!("the session's answer: {e}"))),
            Err(e) => fail(&format!("the session could not be read: {e}")),
        };
        let mut latencies: Vec<f64> = Vec::new();
        let mut missing = 0;
        let (server_cpu, client_cpu) = (cpu_secs(pid), cpu_secs("self"));
        for i in 0..events {
            let node = &current["data"]["node"];
            let (version, capacity) = (node["version"].as_i64().unwrap_or(0), node["capacity"].as_i64().unwrap_or(10));
            let capacity = if i % 2 == 0 { capacity + 1 } else { capacity - 1 };
            arrivals.borrow_mut().clear();
            let sent = Instant::now();
            let change = json!({ "query": UPDATE, "variables": { "input": { "session": session, "expectedVersion": version, "capacity": capacity } } });
            let answer: Value = match http.post(&graphql).bearer_auth(token).send_json(&change).await {
                Ok(mut response) => response.json().await.unwrap_or_else(|e| fail(&format!("the change's answer: {e}"))),
                Err(e) => fail(&format!("the change could not be sent: {e}")),
            };
            let payload = &answer["data"]["updateTrainingSession"];
            if payload["userErrors"] != json!([]) {
                fail(&format!("the change was refused: {answer}"));
            }
            current = json!({ "data": { "node": payload["session"] } });
            let deadline = Instant::now() + Duration::from_secs(10);
            while arrivals.borrow().len() < subscribed && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let got: Vec<Instant> = arrivals.borrow_mut().drain(..).collect();
            missing += subscribed - got.len().min(subscribed);
            latencies.extend(got.iter().map(|t| t.duration_since(sent).as_secs_f64() * 1000.0));
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // Includes the 300 ms pauses between changes, when both are idle.
        let (server_cpu, client_cpu) = (cpu_secs(pid) - server_cpu, cpu_secs("self") - client_cpu);
        let delivered = latencies.len();
        let per_delivery = |cpu: f64| if delivered == 0 { f64::NAN } else { cpu * 1e6 / delivered as f64 };
        latencies.sort_by(f64::total_cmp);
        println!(
            "subscribers {subscribed} (failed {failures}); events {events}; deliveries {} (missing {missing}); latency p50 {:.1} ms p99 {:.1} ms max {:.1} ms; server RSS {:.1} -> {:.1} MiB: {:.1} KiB per idle connection; CPU during the changes: server {server_cpu:.2} s ({:.1} µs per delivery), client {client_cpu:.2} s ({:.1} µs)",
            latencies.len(),
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
            latencies.last().copied().unwrap_or(f64::NAN),
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            per_connection,
            per_delivery(server_cpu),
            per_delivery(client_cpu)
        );
    });
}
