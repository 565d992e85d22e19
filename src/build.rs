//! Compiles `rules/*.dl` into a crepe program.

fn main() {}
