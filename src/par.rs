//! Work spread over the machine's cores with the results kept in order.
//!
//! Owns: [`ordered`], the one helper the bulk paths (export, index rebuild, import checks) use to
//! map a list on worker threads while a single consumer takes the results in the list's order,
//! so output stays byte-for-byte stable whatever the number of cores.
//! Does not: know what it maps.

use std::sync::mpsc::sync_channel;

/// How many items a worker maps before handing them over.
const BLOCK: usize = 64;

/// The number of worker threads to use: the machine's parallelism.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Maps `items` with `map` on `threads` worker threads and hands each result to `sink` in the
/// order of `items`. At most two blocks of results per worker wait for the sink, so memory does
/// not grow with the list. The first error (of `map` or `sink`) stops the work and is returned.
pub fn ordered<T, R, E>(
    items: &[T],
    threads: usize,
    map: impl Fn(&T) -> Result<R, E> + Sync,
    sink: impl FnMut(&T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    ordered_with(items, threads, || (), |(), item| map(item), sink)
}

/// [`ordered`] with a state per worker (a cache, a reader), made by `init` on the worker.
pub fn ordered_with<T, S, R, E>(
    items: &[T],
    threads: usize,
    init: impl Fn() -> S + Sync,
    map: impl Fn(&mut S, &T) -> Result<R, E> + Sync,
    mut sink: impl FnMut(&T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let threads = threads.max(1);
    if threads == 1 || items.len() <= BLOCK {
        let mut state = init();
        for item in items {
            let r = map(&mut state, item)?;
            sink(item, r)?;
        }
        return Ok(());
    }
    let blocks: Vec<&[T]> = items.chunks(BLOCK).collect();
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(threads);
        for w in 0..threads {
            let (tx, rx) = sync_channel::<Result<Vec<R>, E>>(2);
            receivers.push(rx);
            let (blocks, init, map) = (&blocks, &init, &map);
            scope.spawn(move || {
                let mut state = init();
                for block in blocks.iter().skip(w).step_by(threads) {
                    let mapped: Result<Vec<R>, E> = block.iter().map(|item| map(&mut state, item)).collect();
                    let failed = mapped.is_err();
                    // the consumer stopped (an error elsewhere): stop too
                    if tx.send(mapped).is_err() || failed {
                        return;
                    }
                }
            });
        }
        for (i, block) in blocks.iter().enumerate() {
            let results = receivers[i % threads].recv().expect("a worker sends every block it owns until it fails")?;
            for (item, r) in block.iter().zip(results) {
                sink(item, r)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_and_the_first_error_stops() {
        let items: Vec<u32> = (0..1000).collect();
        let mut seen = Vec::new();
        ordered(
            &items,
            3,
            |x| Ok::<_, String>(x * 2),
            |x, r| {
                seen.push((*x, r));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, items.iter().map(|x| (*x, x * 2)).collect::<Vec<_>>());
        let err = ordered(&items, 2, |x| if *x == 500 { Err(format!("bad {x}")) } else { Ok(*x) }, |_, _| Ok(()));
        assert_eq!(err, Err("bad 500".to_owned()));
        let err = ordered(&items, 2, |x| Ok(*x), |x, _| if *x == 700 { Err("sink".to_owned()) } else { Ok(()) });
        assert_eq!(err, Err("sink".to_owned()));
    }
}
