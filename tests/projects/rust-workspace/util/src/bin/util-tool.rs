fn main() {
    println!("{}", util::triple(14));
}
