fn main() {
    let count: u32 = "not a number";
    println!("{count}");
}
