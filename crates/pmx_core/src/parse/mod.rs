//! Reading model files into a plain [`Model`].

pub mod pmd;
pub mod pmx;
pub mod reader;
pub mod text;

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Model;

/// Parse a model file's bytes, choosing the format from its magic:
/// `"PMX "` → PMX 2.0/2.1, `"Pmd"` → PMD 1.0.
pub fn parse(bytes: &[u8]) -> Result<Model> {
    if bytes.starts_with(b"PMX ") {
        pmx::parse_pmx(bytes)
    } else if bytes.starts_with(b"Pmd") {
        pmd::parse_pmd(bytes)
    } else {
        let shown = &bytes[..bytes.len().min(4)];
        Err(Error::new(
            ErrorKind::BadMagic,
            "header",
            None,
            0,
            format!(
                "magic \"{}\" is neither \"PMX \" nor \"Pmd\"",
                shown.escape_ascii()
            ),
        ))
    }
}

/// Read and parse a model file; I/O failures are [`ErrorKind::Io`] in section "file".
pub fn parse_file(path: &Path) -> Result<Model> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            "file",
            None,
            0,
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    parse(&bytes)
}
