//! A rayon par_iter sum on an explicit 4-thread pool.

use rayon::prelude::*;
use std::sync::Barrier;

fn main() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    // Every pool thread must be inside at once for the barrier to open.
    let barrier = Barrier::new(4);
    let met = pool.broadcast(|_| barrier.wait().is_leader()).into_iter().filter(|l| *l).count();
    let sum: u64 = pool.install(|| (1..=1_000_000u64).into_par_iter().map(|x| x % 7).sum());
    println!("pool threads {} leaders {met} sum {sum}", pool.current_num_threads());
}
