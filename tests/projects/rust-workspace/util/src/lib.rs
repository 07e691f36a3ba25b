/// Three times `n`.
pub fn triple(n: u64) -> u64 {
    3 * n
}
