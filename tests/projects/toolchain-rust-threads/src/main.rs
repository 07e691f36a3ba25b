//! Two std::threads meet at a Barrier: it only opens when both run at the same time.
use std::sync::{Arc, Barrier};
use std::thread;

fn main() {
    let barrier = Arc::new(Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                i + 1
            })
        })
        .collect();
    let sum: i32 = workers.into_iter().map(|w| w.join().expect("worker panicked")).sum();
    println!("both threads passed the barrier: {}", sum == 3);
}
