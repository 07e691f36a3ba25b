//! {{name}}: compute Fibonacci numbers on several threads at once.
//!
//! Without arguments: fib(4) and fib(5) on two threads.
//! With "N K": N threads each compute fib(K), then the total is printed.

use std::process::ExitCode;
use std::thread;

const MAX_THREADS: u32 = 64;
const MAX_K: u32 = 60;

fn fib(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// Compute fib(n) for every n on its own thread; results keep the order of `ns`.
fn fib_in_parallel(ns: &[u32]) -> Vec<u64> {
    let handles: Vec<_> = ns.iter().map(|&n| thread::spawn(move || fib(n))).collect();
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a fib thread panicked"))
        .collect()
}

fn parse_count(text: &str, low: u32, high: u32) -> Option<u32> {
    text.parse().ok().filter(|value| (low..=high).contains(value))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 1 {
        let ns = [4, 5];
        for (n, result) in ns.iter().zip(fib_in_parallel(&ns)) {
            println!("fib({n}) = {result}");
        }
        return ExitCode::SUCCESS;
    }
    let parsed = match args.as_slice() {
        [_, threads, k] => parse_count(threads, 1, MAX_THREADS).zip(parse_count(k, 0, MAX_K)),
        _ => None,
    };
    let Some((threads, k)) = parsed else {
        eprintln!(
            "usage: {} [N K]  (N threads, 1..{MAX_THREADS}, each computing fib(K), K 0..{MAX_K})",
            args[0]
        );
        return ExitCode::from(2);
    };
    let results = fib_in_parallel(&vec![k; threads as usize]);
    for (i, result) in results.iter().enumerate() {
        println!("thread {i}: fib({k}) = {result}");
    }
    println!("total = {}", results.iter().sum::<u64>());
    ExitCode::SUCCESS
}
