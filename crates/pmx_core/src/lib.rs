//! pmx_core: MikuMikuDance models (PMX 2.0/2.1, PMD 1.0) in plain Rust.
//!
//! parse → [`Model`] (plain data) → [`Poser`] (morphs, bones, skinning);
//! write turns a [`Model`] back into a PMX file.
//! The `python` feature adds the PyO3 module `animeceleb._core`.

pub mod error;
pub mod model;
pub mod morph;
pub mod parse;
pub mod poser;
#[cfg(feature = "python")]
mod py;
pub mod skeleton;
pub mod skin;
pub mod write;

pub use error::{Error, ErrorKind, Result};
pub use glam;
pub use model::*;
pub use morph::material::MaterialParams;
pub use poser::{head_rotation, Posed, Poser};
