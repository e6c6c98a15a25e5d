//! When the binding may use rayon's global pool. A child forked after its parent started
//! the pool inherits the pool's bookkeeping but none of its threads, so work handed to it
//! would wait forever: such a child runs everything on the calling thread instead.

use std::sync::atomic::{AtomicU32, Ordering};

/// The process id that started rayon's global pool; 0 while it has not been started.
static POOL_OWNER: AtomicU32 = AtomicU32::new(0);

/// Whether parallel work may go to rayon's global pool in this process, recording that
/// this process now uses it when it may. Call right before using the pool.
pub(crate) fn allowed() -> bool {
    let pid = std::process::id();
    match POOL_OWNER.compare_exchange(0, pid, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => true,
        Err(owner) => owner == pid,
    }
}
