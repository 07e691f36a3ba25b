//! A library whose tests spawn threads; run with
//! `wasmpack env --lang rust -- cargo test`.

use std::sync::{Arc, Mutex};
use std::thread;

/// Sums `values` using one thread per chunk of `chunk` items.
pub fn parallel_sum(values: &[u64], chunk: usize) -> u64 {
    let total = Arc::new(Mutex::new(0));
    let handles: Vec<_> = values
        .chunks(chunk)
        .map(|part| {
            let part = part.to_vec();
            let total = Arc::clone(&total);
            thread::spawn(move || *total.lock().unwrap() += part.iter().sum::<u64>())
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let sum = *total.lock().unwrap();
    sum
}

#[cfg(test)]
mod tests {
    use super::parallel_sum;
    use std::sync::{Arc, Barrier};
    use std::thread;

    #[test]
    fn sums_across_threads() {
        let values: Vec<u64> = (1..=1000).collect();
        assert_eq!(parallel_sum(&values, 100), 500_500);
    }

    #[test]
    fn threads_overlap() {
        let barrier = Arc::new(Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || barrier.wait().is_leader())
            })
            .collect();
        let leaders = handles.into_iter().map(|h| h.join().unwrap()).filter(|l| *l);
        assert_eq!(leaders.count(), 1);
    }
}
