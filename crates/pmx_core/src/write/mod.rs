//! Writing a [`Model`](crate::model::Model) back to a file.

pub mod pmx;

pub use pmx::{write_pmx, write_pmx_file};
