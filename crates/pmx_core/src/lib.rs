//! pmx_core: MikuMikuDance models (PMX 2.0/2.1, PMD 1.0) in plain Rust.
//!
//! parse → [`Model`] (plain data) → poser (morphs, bones, skinning).
//! The `python` feature adds the PyO3 module `animeceleb._core`.

pub mod error;
pub mod model;
pub mod parse;

pub use error::{Error, ErrorKind, Result};
pub use model::*;
