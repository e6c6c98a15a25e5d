//! The Redis tier of the token-count cache (feature `redis`): counts shared between
//! processes and machines, under versioned keys `toon:tok:v1:<encoding>:<hash>` where
//! `<hash>` is the 32 lowercase hex digits of [`cache_key`](super::cache_key).
//!
//! The tier is an optimisation and never a dependency: one synchronous connection with
//! short connect, read and write timeouts; any error drops it, and it is re-opened only
//! after a back-off (doubling from [`RedisConfig::retry_backoff`]'s minimum to its
//! maximum), so while Redis is down a count costs no network wait at all and is served
//! by the local tier or computed. When Redis is back, the next attempt after the back-off
//! reconnects and the tier fills again.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::encoding::Encoding;

/// Version of the key layout and of the counts: bump it when counts could change.
pub const KEY_VERSION: &str = "v1";

/// Where the Redis tier connects and how it behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisConfig {
    url: String,
    ttl: Option<Duration>,
    connect_timeout: Duration,
    io_timeout: Duration,
    retry_min: Duration,
    retry_max: Duration,
    min_text_bytes: usize,
}

impl RedisConfig {
    /// Connects to `url` (`redis://host:port/db`), with keys kept 7 days, 100 ms connect
    /// and I/O timeouts, a 100 ms to 5 s reconnect back-off, and texts of 1 KiB or more
    /// (shorter ones count faster than a round trip).
    pub fn new(url: impl Into<String>) -> RedisConfig {
        RedisConfig {
            url: url.into(),
            ttl: Some(Duration::from_secs(7 * 24 * 3600)),
            connect_timeout: Duration::from_millis(100),
            io_timeout: Duration::from_millis(100),
            retry_min: Duration::from_millis(100),
            retry_max: Duration::from_secs(5),
            min_text_bytes: 1024,
        }
    }

    /// How long Redis keeps a count (whole seconds, at least 1); `None` keeps it until
    /// Redis evicts it.
    pub fn ttl(mut self, ttl: Option<Duration>) -> RedisConfig {
        self.ttl = ttl.map(|ttl| ttl.max(Duration::from_secs(1)));
        self
    }

    /// The bound on opening a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> RedisConfig {
        self.connect_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The bound on each read and write of a command.
    pub fn io_timeout(mut self, timeout: Duration) -> RedisConfig {
        self.io_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The wait before reconnecting after an error: `min` first, doubling on each failed
    /// attempt up to `max`.
    pub fn retry_backoff(mut self, min: Duration, max: Duration) -> RedisConfig {
        self.retry_min = min;
        self.retry_max = max.max(min);
        self
    }

    /// Texts shorter than this many bytes skip the Redis tier.
    pub fn min_text_bytes(mut self, bytes: usize) -> RedisConfig {
        self.min_text_bytes = bytes;
        self
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The key lifetime.
    pub fn key_ttl(&self) -> Option<Duration> {
        self.ttl
    }

    /// The smallest text the tier handles.
    pub fn text_bytes_threshold(&self) -> usize {
        self.min_text_bytes
    }
}

/// Counters of a [`RedisTier`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RedisStats {
    /// Counts found in Redis.
    pub hits: u64,
    /// Lookups Redis answered without a count.
    pub misses: u64,
    /// Counts written.
    pub writes: u64,
    /// Failed connects and commands.
    pub errors: u64,
    /// Lookups and writes skipped because the tier was down (waiting out a back-off).
    pub skipped: u64,
    /// Connections opened.
    pub connects: u64,
}

impl RedisStats {
    /// Hits divided by the lookups Redis answered; 0 before the first.
    pub fn hit_rate(&self) -> f64 {
        crate::cache::hit_rate(self.hits, self.misses)
    }
}

/// The connection and the back-off.
struct State {
    connection: Option<::redis::Connection>,
    /// The process that opened `connection`: a child forked after it (a pre-fork web
    /// server's worker) must not talk on its parent's socket, so it opens its own.
    opened_by: u32,
    retry_at: Option<Instant>,
    backoff: Duration,
}

/// A Redis tier. Thread-safe; commands from several threads take turns on its
/// connection (batches use one round trip: `MGET`, and a pipeline of `SET`s).
pub struct RedisTier {
    client: ::redis::Client,
    config: RedisConfig,
    state: Mutex<State>,
    hits: AtomicU64,
    misses: AtomicU64,
    writes: AtomicU64,
    errors: AtomicU64,
    skipped: AtomicU64,
    connects: AtomicU64,
}

impl fmt::Debug for RedisTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTier")
            .field("config", &self.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl RedisTier {
    /// A tier for `config`. Connects lazily, on the first lookup.
    ///
    /// # Errors
    ///
    /// When the URL is not a valid Redis URL.
    pub fn new(config: RedisConfig) -> Result<RedisTier, ::redis::RedisError> {
        let client = ::redis::Client::open(config.url.as_str())?;
        Ok(RedisTier {
            client,
            state: Mutex::new(State {
                connection: None,
                opened_by: 0,
                retry_at: None,
                backoff: config.retry_min,
            }),
            config,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            connects: AtomicU64::new(0),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &RedisConfig {
        &self.config
    }

    /// The Redis key of a count: `toon:tok:v1:<encoding>:<32 hex digits of digest>`.
    ///
    /// ```
    /// use toon_tokens::{Encoding, RedisTier, cache_key};
    ///
    /// let key = RedisTier::key(Encoding::O200kBase, cache_key(Encoding::O200kBase, "hi"));
    /// assert!(key.starts_with("toon:tok:v1:o200k_base:"));
    /// assert_eq!(key.len(), "toon:tok:v1:o200k_base:".len() + 32);
    /// ```
    pub fn key(encoding: Encoding, digest: u128) -> String {
        format!("toon:tok:{KEY_VERSION}:{}:{digest:032x}", encoding.name())
    }

    /// Whether a connection is open now (it may still fail on the next command).
    pub fn is_connected(&self) -> bool {
        self.lock().connection.is_some()
    }

    /// Hits, misses, writes, errors, skips and connects so far.
    pub fn stats(&self) -> RedisStats {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        RedisStats {
            hits: load(&self.hits),
            misses: load(&self.misses),
            writes: load(&self.writes),
            errors: load(&self.errors),
            skipped: load(&self.skipped),
            connects: load(&self.connects),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `command` on the connection, opening it first if the back-off allows; `None`
    /// when the tier is down or the command failed (which closes the connection).
    fn with_connection<T>(
        &self,
        command: impl FnOnce(&mut ::redis::Connection) -> ::redis::RedisResult<T>,
    ) -> Option<T> {
        let mut state = self.lock();
        if state.connection.is_some() && state.opened_by != std::process::id() {
            // Leaked, not dropped: nothing this process does may touch the parent's
            // socket (one descriptor per fork, a bounded cost).
            std::mem::forget(state.connection.take());
            state.retry_at = None;
        }
        if state.connection.is_none() {
            if state.retry_at.is_some_and(|at| Instant::now() < at) {
                self.skipped.fetch_add(1, Ordering::Relaxed);
                return None;
            }
            match self.connect() {
                Ok(connection) => {
                    self.connects.fetch_add(1, Ordering::Relaxed);
                    state.connection = Some(connection);
                    state.opened_by = std::process::id();
                    state.retry_at = None;
                    state.backoff = self.config.retry_min;
                }
                Err(_) => {
                    self.fail(&mut state);
                    return None;
                }
            }
        }
        let connection = state.connection.as_mut()?;
        match command(connection) {
            Ok(value) => Some(value),
            Err(_) => {
                self.fail(&mut state);
                None
            }
        }
    }

    fn connect(&self) -> ::redis::RedisResult<::redis::Connection> {
        let connection = self
            .client
            .get_connection_with_timeout(self.config.connect_timeout)?;
        connection.set_read_timeout(Some(self.config.io_timeout))?;
        connection.set_write_timeout(Some(self.config.io_timeout))?;
        Ok(connection)
    }

    /// Closes the connection and schedules the next attempt.
    fn fail(&self, state: &mut State) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        state.connection = None;
        state.retry_at = Some(Instant::now() + state.backoff);
        state.backoff = (state.backoff * 2).min(self.config.retry_max);
    }

    /// The count stored for `digest`, if Redis is up and has it.
    pub(crate) fn get(&self, encoding: Encoding, digest: u128) -> Option<u32> {
        let key = RedisTier::key(encoding, digest);
        let value: Option<Option<String>> =
            self.with_connection(|connection| ::redis::cmd("GET").arg(&key).query(connection));
        // `None`: the tier is down, which is neither a hit nor a miss.
        let count = value?.and_then(|text| text.parse().ok());
        self.tally(count.is_some());
        count
    }

    /// The counts stored for `digests` (one `MGET`); all `None` when Redis is down.
    pub(crate) fn get_many(&self, encoding: Encoding, digests: &[u128]) -> Vec<Option<u32>> {
        if digests.is_empty() {
            return Vec::new();
        }
        let mut command = ::redis::cmd("MGET");
        for &digest in digests {
            command.arg(RedisTier::key(encoding, digest));
        }
        let values: Option<Vec<Option<String>>> =
            self.with_connection(|connection| command.query(connection));
        let counts: Vec<Option<u32>> = match values {
            Some(values) if values.len() == digests.len() => values
                .into_iter()
                .map(|value| value.and_then(|text| text.parse().ok()))
                .collect(),
            _ => return vec![None; digests.len()],
        };
        for count in &counts {
            self.tally(count.is_some());
        }
        counts
    }

    fn tally(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        let tier = super::metrics::Tier::Redis;
        if hit {
            super::metrics::cache_hit(tier);
        } else {
            super::metrics::cache_miss(tier);
        }
    }

    /// Stores counts (one pipeline), with the configured TTL.
    pub(crate) fn set_many(&self, encoding: Encoding, counts: &[(u128, u32)]) {
        if counts.is_empty() {
            return;
        }
        let mut pipeline = ::redis::pipe();
        for &(digest, count) in counts {
            let command = pipeline
                .cmd("SET")
                .arg(RedisTier::key(encoding, digest))
                .arg(count);
            if let Some(ttl) = self.config.ttl {
                command.arg("EX").arg(ttl.as_secs());
            }
            command.ignore();
        }
        let written: Option<()> = self.with_connection(|connection| pipeline.query(connection));
        if written.is_some() {
            self.writes
                .fetch_add(counts.len() as u64, Ordering::Relaxed);
        }
    }

    /// Stores one count.
    pub(crate) fn set(&self, encoding: Encoding, digest: u128, count: u32) {
        self.set_many(encoding, &[(digest, count)]);
    }

    /// The value stored under `key`: `None` when the tier is down (waiting out a
    /// back-off, or the command failed), `Some(None)` when Redis has no such key. It
    /// goes through the same connection, back-off and statistics as counts, for another
    /// cache sharing the tier (`toon-convert` keeps outputs under `toon:conv:v1:…`); a
    /// hit or miss is counted in [`stats`](Self::stats), not in the token-cache metrics.
    pub fn get_bytes(&self, key: &str) -> Option<Option<Vec<u8>>> {
        let value: Option<Vec<u8>> =
            self.with_connection(|connection| ::redis::cmd("GET").arg(key).query(connection))?;
        let counter = if value.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Some(value)
    }

    /// Stores `value` under `key` with the configured TTL (nothing when Redis is down).
    pub fn set_bytes(&self, key: &str, value: &[u8]) {
        let mut command = ::redis::cmd("SET");
        command.arg(key).arg(value);
        if let Some(ttl) = self.config.ttl {
            command.arg("EX").arg(ttl.as_secs());
        }
        let written: Option<()> = self.with_connection(|connection| command.query(connection));
        if written.is_some() {
            self.writes.fetch_add(1, Ordering::Relaxed);
        }
    }
}
