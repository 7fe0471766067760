//! Calendar benchmarks.
fn main() {}
