//! pmx_core: MikuMikuDance models (PMX 2.0/2.1, PMD 1.0) in plain Rust.
//!
//! parse → [`Model`] (plain data) → poser (morphs, bones, skinning);
//! write turns a [`Model`] back into a PMX file.
//! The `python` feature adds the PyO3 module `animeceleb._core`.

pub mod error;
pub mod model;
pub mod parse;
pub mod write;

pub use error::{Error, ErrorKind, Result};
pub use model::*;
