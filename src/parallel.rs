//! Work split over a few threads, joined in a fixed order, so that the result is the
//! same bytes however the work was split. A part whose thread panicked is done again on
//! the calling thread: the panic repeats there instead of being swallowed, and no result
//! goes missing. Two shapes: many cheap items cut into one consecutive share per thread
//! ([`chunks_in_parallel`], [`map_in_parallel`]: files of a directory, findings), and a
//! few items of very different cost handed out one at a time ([`each_on_threads`]:
//! the rules of a policy).

/// `f` of every item, in order, on a few threads when there are many items (at least
/// 512 each; up to four threads). A thread that panicked has its items mapped
/// again on this thread, so a panic is not swallowed (it repeats) and nothing is dropped.
pub(crate) fn map_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    chunks_in_parallel(items, |part| part.iter().map(&f).collect::<Vec<_>>())
        .into_iter()
        .flatten()
        .collect()
}

/// `f` of consecutive parts of `items`, in order: one part per thread when there are
/// many items (at least 512 a thread; up to four threads), else one part. A thread
/// that panicked has its part done again on this thread, so a panic is not swallowed
/// (it repeats) and nothing is dropped.
pub(crate) fn chunks_in_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    const PER_THREAD: usize = 512;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
        .min(items.len() / PER_THREAD)
        .max(1);
    if threads == 1 {
        return vec![f(items)];
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .zip(items.chunks(chunk))
            .map(|(h, part)| h.join().unwrap_or_else(|_| f(part)))
            .collect()
    })
}

/// `f` of every item, in order, on up to four threads, each taking the next item not
/// yet taken (a rule's cost differs from another's by orders of magnitude, so fixed
/// shares would leave threads idle). An item whose thread panicked is done again on
/// this thread, so a panic is not swallowed (it repeats) and no result goes missing.
pub(crate) fn each_on_threads<R: Sync, T: Send>(items: &[R], f: impl Fn(&R) -> T + Sync) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
        .min(items.len());
    if threads < 2 {
        return items.iter().map(&f).collect();
    }
    let slots: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let out = f(item);
                        if let Ok(mut slot) = slots[i].lock() {
                            *slot = Some(out);
                        }
                    }
                })
            })
            .collect();
        // Joined here so that a panic does not propagate out of the scope: a panicked
        // thread left its item's slot empty, which is filled below.
        for h in handles {
            let _ = h.join();
        }
    });
    items
        .iter()
        .zip(slots)
        .map(|(item, slot)| slot.into_inner().ok().flatten().unwrap_or_else(|| f(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts come back in order and cover every item once, however many threads ran.
    #[test]
    fn parallel_parts_keep_the_order_of_the_items() {
        for n in [0, 1, 511, 1_024, 5_000] {
            let items: Vec<usize> = (0..n).collect();
            let parts = chunks_in_parallel(&items, <[usize]>::to_vec);
            assert_eq!(parts.concat(), items);
            assert_eq!(
                map_in_parallel(&items, |i| i * 2),
                items.iter().map(|i| i * 2).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn work_on_threads_keeps_the_order_and_loses_nothing_to_a_panic() {
        let items: Vec<u64> = (0..200).collect();
        // Uneven costs, so that threads finish out of order.
        let out = each_on_threads(&items, |&i| {
            std::thread::sleep(std::time::Duration::from_micros((i * 37) % 300));
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());

        // A panic on a worker thread: the item is done again on the calling thread.
        let caller = std::thread::current().id();
        let out = each_on_threads(&items, |&i| {
            assert!(
                !(i == 7 && std::thread::current().id() != caller),
                "item 7 fails on a worker"
            );
            i + 1
        });
        assert_eq!(out.len(), items.len());
        assert_eq!(out[7], 8);

        // A panic everywhere is not swallowed.
        let failed = std::panic::catch_unwind(|| {
            each_on_threads(&items, |&i| {
                assert!(i != 7, "item 7 fails everywhere");
                i
            })
        });
        assert!(failed.is_err());
    }
}
