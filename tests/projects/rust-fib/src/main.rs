//! THREADS workers each compute fib(N) recursively; prints the sum.

use std::thread;

fn fib(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2);
    let n: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30);
    let workers: Vec<_> = (0..threads).map(|_| thread::spawn(move || fib(n))).collect();
    let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    println!("fib({n}) x {threads} = {total}");
}
