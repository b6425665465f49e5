//! Counting the SQL statements a piece of work issues: a deterministic measure of its
//! database cost, which the tests hold constant and the benchmark prints (a time is
//! neither).
//!
//! Every statement sea-orm runs on the store's connections is reported to
//! [`record`] by the connection's metric callback, and so is every transaction's
//! `BEGIN` and `COMMIT`, which sea-orm issues outside that callback. The count goes to
//! the task-local counter of the enclosing [`counted`] future, if any, and to a
//! process-wide total.

use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static IN_SCOPE: Cell<u32>;
}

static TOTAL: AtomicU64 = AtomicU64::new(0);

/// Counts one statement.
pub(crate) fn record() {
    TOTAL.fetch_add(1, Ordering::Relaxed);
    let _ = IN_SCOPE.try_with(|count| count.set(count.get().saturating_add(1)));
}

/// Runs `work` and answers its output with the number of statements it issued on this
/// task (work spawned onto other tasks is not counted).
pub async fn counted<F: Future>(work: F) -> (F::Output, u32) {
    IN_SCOPE
        .scope(Cell::new(0), async move {
            let output = work.await;
            (output, IN_SCOPE.with(Cell::get))
        })
        .await
}

/// Statements issued by this process since it started.
pub fn total() -> u64 {
    TOTAL.load(Ordering::Relaxed)
}
