//! Work on the files of a set spread over threads. Analysing a file and running the rules on
//! it depend on no other file's work, and they are most of what a check of a large set costs.

use std::cmp::Reverse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Below this many bytes of input in all, work stays on the calling thread. Measured on a
/// 2-core VM (median wall time of `aiblint check`): a 360 KB set took 15.2 ms on one thread and
/// 16.5 ms on two, a second thread's heap costing its page faults; a 2.5 MB set took 81 ms
/// on one and 54 ms on two; a 25 MB set 0.98 s and 0.67 s.
pub const WORTH_A_THREAD: usize = 1 << 20;

/// The stack of a worker, as large as a main thread's: a file nested as deep as the parser
/// allows is handled on any thread alike (the stack is only reserved, not committed).
const WORKER_STACK: usize = 8 << 20;

/// `work` applied to each item, results in the order of `items`. The items are taken largest
/// first (by `size`) by as many threads as the machine runs at once, no more than there are
/// items; when all the sizes add up to less than `parallel_from`, or there is one item, the
/// calling thread does it all, since starting a thread would cost more than it saves.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> usize,
    parallel_from: usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let total: usize = items.iter().map(&size).sum();
    if items.len() < 2 || total < parallel_from {
        return items.into_iter().map(work).collect();
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads < 2 {
        return items.into_iter().map(work).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| Reverse(size(&items[i])));
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let next = AtomicUsize::new(0);
    // Each index is handed out once, so each item is taken by exactly one worker.
    let worker = || {
        let mut made = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let taken = items[i]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(item) = taken {
                made.push((i, work(item)));
            }
        }
        made
    };
    let mut made = std::thread::scope(|scope| {
        // A worker that cannot be started leaves its share to the others.
        let others: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, worker)
                    .ok()
            })
            .collect();
        let mut made = worker();
        for other in others {
            match other.join() {
                Ok(theirs) => made.extend(theirs),
                // A bug in a rule or the parser: it surfaces as it would on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        made
    });
    made.sort_unstable_by_key(|(i, _)| *i);
    made.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_whichever_thread_made_them() {
        let parallel = std::thread::available_parallelism().map_or(1, |n| n.get()) > 1;
        // The two largest items are taken first; each waits for the other, so on a machine
        // that runs two threads at once they are made on two threads.
        let both_started = std::sync::Barrier::new(2);
        let results = map(
            (0..8).collect(),
            |&i| i,
            0,
            |i: usize| {
                if parallel && i >= 6 {
                    both_started.wait();
                }
                (i * 10, std::thread::current().id())
            },
        );
        let values: Vec<usize> = results.iter().map(|(v, _)| *v).collect();
        assert_eq!(values, [0, 10, 20, 30, 40, 50, 60, 70]);
        if parallel {
            assert_ne!(results[6].1, results[7].1);
        }
    }

    #[test]
    fn a_small_batch_stays_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let results = map(
            vec![1, 2, 3],
            |_| 10,
            1000,
            |i| {
                assert_eq!(std::thread::current().id(), caller);
                i * 2
            },
        );
        assert_eq!(results, [2, 4, 6]);
    }
}
