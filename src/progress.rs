//! How long work tells its caller how far it has got, without printing:
//! the library calls a [`Progress`], and the command line decides whether
//! and how to show it.

/// Receives news of a long run. Every method does nothing by default.
pub trait Progress: Sync {
    /// A new phase begins, such as "evaluating rules".
    fn phase(&self, _name: &str) {}
    /// Loading will read this many bytes in all.
    fn bytes_total(&self, _bytes: u64) {}
    /// This many more bytes have been read.
    fn bytes_read(&self, _bytes: u64) {}
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {}
