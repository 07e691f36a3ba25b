fn main() {
    let handles: Vec<_> = (1..=3u64).map(|n| std::thread::spawn(move || util::triple(n))).collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("workspace total {total}");
}
