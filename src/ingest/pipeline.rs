//! Extraction on every core while one thread stores: the shape of a bulk ingest.
//!
//! Items are cut into chunks (a chunk is one store transaction). Worker threads run
//! `work` over chunk `k + 1` while the calling thread hands chunk `k` to `consume`, so
//! extraction and storing overlap. Chunks reach `consume` in order and each chunk's
//! outputs are in item order, so what is stored, and the ids it gets, are exactly what
//! a sequential loop would give. At most three chunks are held at once (one being
//! consumed, one waiting, one being worked on).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// How many extraction threads to run: one per core.
pub fn workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// `work` on every item of `items` on `workers` threads, in order.
pub fn map_parallel<I, O, F>(items: &[I], workers: usize, work: &F) -> Vec<O>
where
    I: Sync,
    O: Send,
    F: Fn(&I) -> O + Sync,
{
    let workers = workers.clamp(1, items.len().max(1));
    if workers == 1 {
        return items.iter().map(work).collect();
    }
    // Items are claimed one at a time, so a slow item does not hold up a whole stripe.
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, O)> = thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, work(item)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(out) => out,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

/// Runs `work` over `items` on `workers` threads, `chunk` items at a time, and passes
/// each chunk's outputs, in order, to `consume` on the calling thread while the next
/// chunk is worked on. `consume` returning `Ok(false)` or an error stops the run (no
/// later chunk is consumed); the error is returned.
pub fn chunked<I, O, E, F, C>(
    items: &[I],
    chunk: usize,
    workers: usize,
    work: F,
    mut consume: C,
) -> Result<bool, E>
where
    I: Sync,
    O: Send,
    F: Fn(&I) -> O + Sync,
    C: FnMut(Vec<O>) -> Result<bool, E>,
{
    let chunk = chunk.max(1);
    if workers <= 1 {
        for part in items.chunks(chunk) {
            if !consume(part.iter().map(&work).collect())? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    thread::scope(|s| {
        // One finished chunk may wait while the next is worked on.
        let (send, receive) = mpsc::sync_channel::<Vec<O>>(1);
        let work = &work;
        s.spawn(move || {
            for part in items.chunks(chunk) {
                if send.send(map_parallel(part, workers, work)).is_err() {
                    // The consumer stopped: no more chunks.
                    break;
                }
            }
        });
        // `receive` is dropped when this closure returns, before the scope joins the
        // producer, so a producer blocked on `send` wakes up and stops.
        for outputs in receive {
            if !consume(outputs)? {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_keep_item_order() {
        let items: Vec<u32> = (0..1000).collect();
        for workers in [1, 2, 3, 8] {
            let out = map_parallel(&items, workers, &|x: &u32| x * 2);
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
            let mut seen = Vec::new();
            let all = chunked(
                &items,
                64,
                workers,
                |x| *x,
                |part: Vec<u32>| {
                    assert!(part.len() <= 64);
                    seen.extend(part);
                    Ok::<_, ()>(true)
                },
            )
            .unwrap();
            assert!(all);
            assert_eq!(seen, items);
        }
    }

    #[test]
    fn a_stopping_consumer_gets_no_more_chunks() {
        let items: Vec<u32> = (0..1000).collect();
        for workers in [1, 2] {
            let mut calls = 0;
            let all = chunked(
                &items,
                10,
                workers,
                |x| *x,
                |_| {
                    calls += 1;
                    Ok::<_, ()>(calls < 3)
                },
            )
            .unwrap();
            assert!(!all);
            assert_eq!(calls, 3);
            let mut calls = 0;
            let err = chunked(
                &items,
                10,
                workers,
                |x| *x,
                |_| {
                    calls += 1;
                    if calls == 2 {
                        Err("stop")
                    } else {
                        Ok(true)
                    }
                },
            );
            assert_eq!(err, Err("stop"));
            assert_eq!(calls, 2);
        }
    }

    #[test]
    fn empty_input_consumes_nothing() {
        let items: Vec<u32> = Vec::new();
        let all = chunked(
            &items,
            10,
            2,
            |x| *x,
            |_| -> Result<bool, ()> { panic!("nothing to consume") },
        );
        assert_eq!(all, Ok(true));
        assert!(map_parallel(&items, 4, &|x: &u32| *x).is_empty());
    }
}
