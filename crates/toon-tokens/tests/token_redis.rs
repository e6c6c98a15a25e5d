//! The Redis tier against a real `redis-server` that the test starts, kills and starts
//! again on the same port: counts are shared between counters (processes) through
//! versioned keys, counting stays correct and quick while Redis is down, and the tier
//! reconnects and writes again when Redis is back.
//!
//! `redis-server` must be installed (`scripts/test-all.sh` installs it); without it the
//! test fails, unless `TOON_SKIP_REDIS=1` says to skip it.

#![cfg(feature = "redis")]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use toon_tokens::{CacheConfig, Encoding, RedisConfig, RedisTier, TokenCounter, cache_key};

/// A `redis-server` child process, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts `redis-server` on `port` (no persistence) and waits until it answers.
    fn start(port: u16) -> Server {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut connection) = server.raw()
                && redis::cmd("PING").query::<String>(&mut connection).is_ok()
            {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer within 10 s"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A plain connection, to check what the tier wrote.
    fn raw(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_millis(200))
    }

    fn get(&self, key: &str) -> Option<String> {
        let mut connection = self.raw().expect("raw connection");
        redis::cmd("GET")
            .arg(key)
            .query(&mut connection)
            .expect("GET")
    }

    fn ttl(&self, key: &str) -> i64 {
        let mut connection = self.raw().expect("raw connection");
        redis::cmd("TTL")
            .arg(key)
            .query(&mut connection)
            .expect("TTL")
    }

    fn kill(mut self) {
        self.child.kill().expect("kill redis-server");
        self.child.wait().expect("reap redis-server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redis_server_available() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found && std::env::var("TOON_SKIP_REDIS").as_deref() == Ok("1") {
        eprintln!("redis-server is not installed; skipped because TOON_SKIP_REDIS=1");
        return false;
    }
    assert!(
        found,
        "redis-server is not installed: install it (apt-get install -y redis-server; \
         scripts/test-all.sh does) or set TOON_SKIP_REDIS=1 to skip the Redis tier test"
    );
    true
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn tier(server_url: &str) -> Arc<RedisTier> {
    let config = RedisConfig::new(server_url)
        .ttl(Some(Duration::from_secs(600)))
        .connect_timeout(Duration::from_millis(100))
        .io_timeout(Duration::from_millis(200))
        .retry_backoff(Duration::from_millis(50), Duration::from_millis(400))
        .min_text_bytes(0);
    Arc::new(RedisTier::new(config).expect("valid URL"))
}

fn counter(tier: &Arc<RedisTier>) -> TokenCounter {
    TokenCounter::builder(Encoding::O200kBase)
        .cache_config(CacheConfig::new(10_000, 8 << 20))
        .redis(Arc::clone(tier))
        .build()
}

fn text(label: &str, i: usize) -> String {
    format!("{label} document {i}: {{\"users\":[{{\"id\":{i},\"name\":\"Ada\"}}]}} — ok")
}

fn key(text: &str) -> String {
    RedisTier::key(Encoding::O200kBase, cache_key(Encoding::O200kBase, text))
}

#[test]
fn redis_tier_survives_an_outage_and_reconnects() {
    if !redis_server_available() {
        return;
    }
    let exact = TokenCounter::uncached(Encoding::O200kBase);
    let port = free_port();
    let server = Server::start(port);
    let url = server.url();

    // Up: counts are written under versioned keys, with the TTL.
    let tier_a = tier(&url);
    let counter_a = counter(&tier_a);
    for i in 0..20 {
        let text = text("up", i);
        let count = counter_a.count(&text);
        assert_eq!(count, exact.count(&text));
        assert_eq!(server.get(&key(&text)), Some(count.to_string()));
    }
    let sample = key(&text("up", 0));
    assert!(sample.starts_with("toon:tok:v1:o200k_base:"), "{sample}");
    assert!((1..=600).contains(&server.ttl(&sample)), "TTL set");
    assert_eq!(tier_a.stats().writes, 20);

    // Another "process" (its own local cache and connection) is served from Redis.
    let tier_b = tier(&url);
    let counter_b = counter(&tier_b);
    for i in 0..20 {
        assert_eq!(counter_b.count(&text("up", i)), exact.count(&text("up", i)));
    }
    assert_eq!(tier_b.stats().hits, 20, "{:?}", tier_b.stats());
    assert_eq!(counter_b.cache_stats().unwrap().misses, 20);
    // count_batch: one MGET for the local misses, one pipeline for the new counts.
    let batch: Vec<String> = (0..40).map(|i| text("up", i)).collect();
    let counts = counter_b.count_batch(&batch);
    for (text, count) in batch.iter().zip(&counts) {
        assert_eq!(*count, exact.count(text));
        assert_eq!(server.get(&key(text)), Some(count.to_string()));
    }

    // Down: counting goes on, correct and quick, from the local tier and the engine.
    server.kill();
    let mut slowest = Duration::ZERO;
    for i in 0..200 {
        let text = text("down", i % 50);
        let start = Instant::now();
        let count = counter_a.count(&text);
        slowest = slowest.max(start.elapsed());
        assert_eq!(count, exact.count(&text));
        if i % 20 == 0 {
            thread::sleep(Duration::from_millis(30)); // let back-offs expire
        }
    }
    let batch: Vec<String> = (0..30).map(|i| text("down-batch", i)).collect();
    let start = Instant::now();
    let counts = counter_a.count_batch(&batch);
    slowest = slowest.max(start.elapsed());
    for (text, count) in batch.iter().zip(&counts) {
        assert_eq!(*count, exact.count(text));
    }
    eprintln!(
        "slowest call while Redis was down: {slowest:?}; tier {:?}",
        tier_a.stats()
    );
    assert!(
        slowest < Duration::from_millis(300),
        "a call took {slowest:?} while Redis was down"
    );
    assert!(tier_a.stats().errors >= 1, "{:?}", tier_a.stats());
    assert!(!tier_a.is_connected());
    // Counts made during the outage came from the local tier the second time.
    assert!(counter_a.cache_stats().unwrap().hits >= 150);

    // Back: the tier reconnects after its back-off and writes again.
    let server = Server::start(port);
    let connects_before = tier_a.stats().connects;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut written = None;
    for i in 0.. {
        let text = text("back", i);
        let count = counter_a.count(&text);
        assert_eq!(count, exact.count(&text));
        if server.get(&key(&text)) == Some(count.to_string()) {
            written = Some(i);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no count reached Redis within 10 s of its restart"
        );
        thread::sleep(Duration::from_millis(25));
    }
    eprintln!(
        "reconnected: count {written:?} after the restart was written; tier {:?}",
        tier_a.stats()
    );
    assert!(tier_a.stats().connects > connects_before);
    assert!(tier_a.is_connected());
    // And reads again: a fresh counter on the same tier is served from Redis.
    let fresh = counter(&tier_a);
    let hits_before = tier_a.stats().hits;
    let text = text("back", written.expect("written"));
    assert_eq!(fresh.count(&text), exact.count(&text));
    assert_eq!(tier_a.stats().hits, hits_before + 1);
}

#[test]
fn an_unreachable_redis_never_blocks_counting() {
    // Nothing listens on this port: every connect is refused at once.
    let port = free_port();
    let tier = tier(&format!("redis://127.0.0.1:{port}/"));
    let counter = counter(&tier);
    let exact = TokenCounter::uncached(Encoding::O200kBase);
    let start = Instant::now();
    for i in 0..100 {
        let text = text("nowhere", i);
        assert_eq!(counter.count(&text), exact.count(&text));
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let stats = tier.stats();
    assert!(
        stats.errors >= 1 && stats.skipped >= 1 && stats.connects == 0,
        "{stats:?}"
    );
    assert!(RedisTier::new(RedisConfig::new("not a url")).is_err());
}
