//! The `silsila` command line.

fn main() {}
