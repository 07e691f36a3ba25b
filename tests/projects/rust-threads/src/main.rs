//! Four std::thread workers, an mpsc channel and Arc<Mutex<Vec<_>>>.

use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const WORKERS: usize = 4;

fn main() {
    let shared = Arc::new(Mutex::new(Vec::new()));
    // Only passes when all four workers run at the same time.
    let barrier = Arc::new(Barrier::new(WORKERS));
    let (sender, receiver) = mpsc::channel();
    let handles: Vec<_> = (0..WORKERS)
        .map(|id| {
            let shared = Arc::clone(&shared);
            let barrier = Arc::clone(&barrier);
            let sender = sender.clone();
            thread::spawn(move || {
                barrier.wait();
                let square = id * id;
                shared.lock().unwrap().push(square);
                sender.send((id, square)).unwrap();
            })
        })
        .collect();
    drop(sender);
    for handle in handles {
        handle.join().unwrap();
    }
    let mut received: Vec<_> = receiver.iter().collect();
    received.sort_unstable();
    let mut pushed = shared.lock().unwrap().clone();
    pushed.sort_unstable();
    println!("received {received:?}");
    println!("pushed {pushed:?}");
}
