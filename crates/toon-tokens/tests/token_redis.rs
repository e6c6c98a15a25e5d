//! The Redis tier against a real `redis-server` that the test starts, kills and starts
//! again on the same port: counts are shared between counters (processes) through
//! versioned keys, counting stays correct and quick while Redis is down, and the tier
//! reconnects and writes again when Redis is back.
//!
//! "Quick while Redis is down" is checked by counting what could make a call wait: every
//! tier operation during the outage is either skipped (the back-off) or one failed
//! network attempt, and there are at most as many attempts as the back-off allows. The
//! wall-clock caps on the calls themselves run only with `TOON_TIMING=1`
//! (`./scripts/test-all.sh --timing`): a loaded machine can stall any call.
//!
//! `redis-server` must be installed (`scripts/test-all.sh` installs it); without it the
//! test fails, unless `TOON_SKIP_REDIS=1` says to skip it.

#![cfg(feature = "redis")]

use std::io::Write as _;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use toon_tokens::{
    CacheConfig, Encoding, RedisConfig, RedisStats, RedisTier, TokenCounter, cache_key,
};

/// The tier's shortest back-off (see [`tier`]): after a failed attempt, no new one
/// before this long.
const RETRY_MIN: Duration = Duration::from_millis(50);

/// Whether the wall-clock assertions run (`TOON_TIMING=1`). When they do not, says so
/// once, on the real stderr (which the test harness does not capture), so the skip shows.
fn timing() -> bool {
    static TIMING: OnceLock<bool> = OnceLock::new();
    *TIMING.get_or_init(|| {
        let on = std::env::var("TOON_TIMING").is_ok_and(|v| v == "1");
        if !on {
            let _ = writeln!(
                std::io::stderr(),
                "token_redis: timing checks skipped (wall-clock caps on counts while Redis \
                 is down): set TOON_TIMING=1"
            );
        }
        on
    })
}

/// Checks that Redis being down cost no network waits beyond what the back-off allows:
/// between `before` and `after` (a stretch of `lasted` in which nothing could connect)
/// every one of the `operations` the tier was asked for was skipped or failed at once,
/// and the failed attempts, each at least `RETRY_MIN` after the one before, number at
/// most `1 + lasted / RETRY_MIN` (a slow machine only raises that bound).
fn assert_backed_off(before: RedisStats, after: RedisStats, operations: u64, lasted: Duration) {
    let attempts = after.errors - before.errors;
    let skipped = after.skipped - before.skipped;
    let allowed = 1 + (lasted.as_millis() / RETRY_MIN.as_millis()) as u64;
    eprintln!(
        "Redis down for {lasted:?}: {operations} tier operations, {skipped} skipped, \
         {attempts} failed attempts (back-off allows {allowed})"
    );
    assert_eq!(
        (after.hits, after.misses, after.writes, after.connects),
        (before.hits, before.misses, before.writes, before.connects),
        "nothing can succeed while Redis is down: {before:?} -> {after:?}"
    );
    assert_eq!(
        attempts + skipped,
        operations,
        "each tier operation is skipped or one failed attempt: {before:?} -> {after:?}"
    );
    assert!(attempts >= 1, "the outage was noticed: {after:?}");
    assert!(
        attempts <= allowed,
        "{attempts} network attempts in {lasted:?}; the back-off allows {allowed}"
    );
}

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
        .retry_backoff(RETRY_MIN, Duration::from_millis(400))
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
    let down = tier_a.stats();
    let local_before = counter_a.cache_stats().unwrap();
    let down_since = Instant::now();
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
    // Each local miss asked the tier twice (a GET, then a SET of the computed count).
    let local_misses = counter_a.cache_stats().unwrap().misses - local_before.misses;
    assert!(local_misses >= 50, "{local_misses} local misses");
    let batch: Vec<String> = (0..30).map(|i| text("down-batch", i)).collect();
    let start = Instant::now();
    let counts = counter_a.count_batch(&batch);
    slowest = slowest.max(start.elapsed());
    for (text, count) in batch.iter().zip(&counts) {
        assert_eq!(*count, exact.count(text));
    }
    let down_for = down_since.elapsed();
    eprintln!(
        "slowest call while Redis was down: {slowest:?}; tier {:?}",
        tier_a.stats()
    );
    // The batch: one MGET and one pipeline of SETs.
    assert_backed_off(down, tier_a.stats(), 2 * local_misses + 2, down_for);
    if timing() {
        assert!(
            slowest < Duration::from_millis(300),
            "a call took {slowest:?} while Redis was down"
        );
    }
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
    let took = start.elapsed();
    if timing() {
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
    // 100 distinct texts: 100 local misses, each a GET and a SET on the tier.
    let stats = tier.stats();
    assert_backed_off(RedisStats::default(), stats, 200, took);
    assert!(stats.skipped >= 1, "{stats:?}");
    assert!(RedisTier::new(RedisConfig::new("not a url")).is_err());
}
